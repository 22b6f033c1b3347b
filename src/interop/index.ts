/** tfjs-layers interop: train a layers model with `fit` and an optimix optimizer, or with `step`/`train`. Never imports tfjs-layers. */
export { InteropError } from './errors.js';
export type { LayersModelLike, LayerVariableLike } from './layers.js';
export { asTfOptimizer, OptimixTfOptimizer, SavedOptimixOptimizer, type TfOptimizerOptions } from './tfOptimizer.js';
export { fromModel, type FromModelOptions, type ModelAdapter } from './fromModel.js';
export { variableLoss, type Connected } from './bridge.js';
export type { NamedTensor } from './stateWeights.js';
