/**
 * optimix/plot: SVG chart builders, pure functions from data to a standalone SVG string, no dependency.
 *
 * @module optimix/plot
 */
export { lineChartSvg, type LineChartOptions, type LineSeries } from './lineChart.js';
export { contourSvg, contourSegments, type ContourOptions } from './contour.js';
export { escapeXml } from './svg.js';
