/** SVG chart builders: pure functions from data to a standalone SVG string, no dependency. */
export { lineChartSvg, type LineChartOptions, type LineSeries } from './lineChart.js';
export { contourSvg, contourSegments, type ContourOptions } from './contour.js';
export { escapeXml } from './svg.js';
