/**
 * optimix: optimizers as pure, composable values on TensorFlow.js.
 * Gradient sources (where ∇ comes from) + gradient transforms (what to do with ∇) = an optimizer.
 *
 * @module optimix
 */
export { ready, type BackendName, type ReadyOptions } from './backend.js';
export * from './errors.js';
export * from './random.js';
export * from './schedule.js';
export * from './tree.js';
export type { Batch, LossFn, Model } from './model.js';
export * from './transform/index.js';
export * from './source/index.js';
export { filterNoise, type FilterOptions } from './perturbation/filterNoise.js';
export { adaptiveFilterNoise, type AdaptiveFilterNoiseOptions } from './perturbation/adaptiveFilterNoise.js';
export { adversarial, type AdversarialOptions } from './perturbation/adversarial.js';
export { optimizer, step, applyGradients, gradientOf, type Optimizer, type OptimizerState, type StepResult } from './optimizer.js';
export { sequential, type Interpreter } from './interpret/interpreter.js';
export { valueAndGrad } from './interpret/valueAndGrad.js';
export { splitBatch, batchSize } from './interpret/splitBatch.js';
export type { SourceState, Evaluation } from './interpret/evaluate.js';
export { train, type TrainData, type TrainOptions, type TrainResult, type StepInfo } from './train.js';
export { transformMonoid, chainAll } from './fp.js';
export { structureProblems } from './structure.js';
export { all as validateAll, type Validation } from './validate.js';
export { parallel, WorkerError, type ParallelOptions, type ParallelInterpreter, type WorkerMemory, type NoiseStats } from './interpret/parallel.js';
export type { ModelRef } from './interpret/modelRef.js';
export { registerWasmGradientKernels, type WasmKernelOptions } from './kernels/index.js';
export * from './checkpoint/index.js';
export * from './interop/index.js';
// Noise generator: counter-based standard normals (Philox-4×32-10 + float32 Box–Muller; src/normal.ts).
export { normals, normalWords, withNormalWords, seedWords, normalsEngine } from './normal.js';
export { normalTensor } from './normalTensor.js';
export { philox4x32 } from './philox.js';
