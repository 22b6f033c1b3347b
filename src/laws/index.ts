/**
 * optimix/laws: property-based laws for optimizers, on fast-check. Arbitraries describe random trees, gradient streams
 * and problems as plain data; each law is a named fast-check property — run it with `fc.assert(law, { numRuns, seed })`
 * or `check(law, { numRuns, seed })` (a readable LawError), or `verify(...)` for a report.
 *
 * @module optimix/laws
 */
export { type LeafDesc, type TreeDesc, materialize, snapshot, sizeOf, mapDesc, pickDesc, summarize } from './treeDesc.js';
export {
  arbShape,
  arbValues,
  arbUniform,
  arbLike,
  arbTree,
  arbGradientStream,
  arbParamsAndGrads,
  arbConstantStream,
  arbCorruptedStream,
  corrupt,
  arbLearningRate,
  arbMomentum,
  arbUnit,
  arbSeed,
  arbScale,
  type ShapeOptions,
  type ValueOptions,
  type TreeOptions,
  type Length,
  type ParamsAndGrads,
  type ParamsAndGradsOptions,
  type Injection,
} from './arbitraries.js';
export { type Tolerance, sameBits, closeEnough, compareArrays, compareTrees, normOf, allFiniteDesc, describeTolerance } from './compare.js';
export {
  type Problem,
  type ProblemKit,
  leastSquaresLoss,
  arbProblem,
  leastSquares,
  quadraticLoss,
  arbQuadratic,
  materializeBatches,
} from './problem.js';
export { type Law, LawViolation, law, violated } from './law.js';
export { type CheckOptions, type LawReport, LawError, verify, check } from './check.js';
export { type Subject, isOptimizer, isTransformation } from './subject.js';
export { type Run, type TransformRunOptions, type OptimizerRunOptions, runTransform, runOptimizer } from './run.js';
export { type StreamOptions, type EquivalentOptions, equivalent, sameRuns } from './equivalent.js';
export { type Compose, type MonoidOptions, isMonoidUnit, isAssociative } from './monoid.js';
export { SCALE_TOLERANCE, scaleComposes } from './scaleComposes.js';
export { type SourceLawOptions, MIX_RTOL, recorder, sourceGradients, sameGradient, reducesToClean, mixIsLinear } from './sources.js';
export { type NoLeakOptions, noLeak } from './noLeak.js';
export { type DeterministicOptions, deterministic } from './deterministic.js';
export { type DescentOptions, descendsOnQuadratic, quadraticValue } from './descends.js';
export { type ZeroLearningRateOptions, zeroLearningRateIsIdentity } from './zeroLearningRate.js';
export { neverExceedsNorm } from './neverExceedsNorm.js';
export { type SkipsNonFiniteOptions, preservesFinite, skipsNonFinite } from './finite.js';
export { type InputsUntouchedOptions, inputsUntouched } from './inputsUntouched.js';
// combinators' law (issue #14: partition, masked, freeze)
export { type ActsPerGroupOptions, actsPerGroup } from './actsPerGroup.js';
