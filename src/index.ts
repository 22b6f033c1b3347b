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
// optax schedules (issue #14: polynomial, sgdr, cosineOnecycle, linearOnecycle, joinSchedules, warmupConstant, warmupExponentialDecay, piecewiseInterpolate)
export * from './scheduleOptax.js';
// Open algebra (issue #16): define your own gradient sources and perturbations; the cost model; the presets since SAM.
export { defineSource, definePerturbation, type SourceSpec, type PerturbationSpec } from './source/define.js';
export { cost } from './source/cost.js';
export { perturb } from './source/perturbed.js';
export { combine } from './source/mix.js';
export { registry, UnknownKindError, type Registry, type Registered } from './registry.js';
export type {
  SourceNode,
  NodeContext,
  SampleContext,
  Resolver,
  Describer,
  PerturbationDescriber,
  Cost,
  NodeCost,
  PerturbationCost,
  CostContext,
  Branches,
  SourceDefinition,
  PerturbationDefinition,
} from './source/node.js';
export { sampa, type Sampa, type SampaOptions } from './source/methods/sampa.js';
export { subtractOrthogonal, orthogonalPart, type SubtractOrthogonal } from './source/subtractOrthogonal.js';
export { gsam, type GsamOptions } from './source/methods/gsam.js';
export { nested, type Nested } from './perturbation/nested.js';
export { microBatches, type MicroBatches } from './source/microBatches.js';
export { splitBatchN } from './batch.js';
export { rsam, type RsamOptions } from './source/methods/rsam.js';
export { mSharpnessSam, type MSharpnessSamOptions } from './source/methods/mSharpnessSam.js';
export { momentumAscent, type MomentumAscent } from './perturbation/momentumAscent.js';
export { friendlyAdversarial, type FriendlyAdversarial } from './perturbation/friendlyAdversarial.js';
export { lookSam, type LookSam, type LookSamOptions } from './source/methods/lookSam.js';
export { momentumSam, type MomentumSamOptions } from './source/methods/momentumSam.js';
export { fsam, type FsamOptions } from './source/methods/fsam.js';
// newcomer (issue #12): unknown option keys, for constructors of your own (the library's use these)
export { knownKeys, checkKeys } from './validate.js';
// parallel (issue #10): loss references workers can rebuild, and train's worker count.
export { lossFrom, ModelRefError, type ModuleRef, type ZooRef } from './interpret/modelRef.js';
export { workerCount } from './train.js';
// Noise generator: counter-based standard normals (Philox-4×32-10 + float32 Box–Muller; src/normal.ts).
export { normals, normalWords, withNormalWords, seedWords, normalsEngine } from './normal.js';
export { normalTensor } from './normalTensor.js';
export { philox4x32 } from './philox.js';
// Optimizers as data (issue #13): transforms record their kind and arguments; describe/toJSON/fromJSON/equals take optimizers.
export { defineTransform, transforms, specOf, type TransformSpec, type TransformDefinition, type TransformFormatter, type DefineTransformOptions } from './transform/define.js';
export { UnregisteredPartError, type TransformJSON } from './transform/json.js';
export { describeTransform } from './transform/describe.js';
export { describe, toJSON, fromJSON, equals, optimizerToJSON, optimizerFromJSON, type OptimizerJSON } from './optimizerData.js';
export { stateGet, stateSet, StatePathError } from './statePath.js';
// typedoc: types the public signatures name (NodeContext.normals, PerturbationSpec.validate, resolve's params, Resolver.hyper's rule).
export type { Normals } from './perturbation/normals.js';
export type { Validate } from './source/define.js';
export type { Shapes } from './source/resolve.js';
export type { Rule } from './validate.js';
// browser (issue #15): what a Node-only feature (checkpoint files, dataset packages) throws in a page.
export { NotInBrowserError } from './host/notInBrowser.js';
// sweep (issue #14): optax's noisy_sgd as chain(addNoise, scaleByLearningRate).
export { noisySgd, safeNoisySgd, type NoisySgdOptions } from './transform/noisySgd.js';
// browser io (issue #15): checkpoints as one file (bytes, Blob) and in IndexedDB; what a browser-only feature throws in Node.
export { packCheckpoint, unpackCheckpoint, toBlob, fromBlob, CHECKPOINT_MEDIA_TYPE } from './checkpoint/blob.js';
export { saveToIndexedDB, loadFromIndexedDB, listIndexedDB, deleteFromIndexedDB, type IndexedDBOptions, type IndexedDBCheckpoint } from './checkpoint/indexedDB.js';
export { BrowserOnlyError } from './host/browserOnly.js';
// browser parallel (issue #15): how a page names the parallel interpreter's worker script (parallel({ workerScript })).
export type { WorkerScript } from './host/threads.js';
export { WASM_FILE_NAMES, type WasmPaths } from './wasmPaths.js';
