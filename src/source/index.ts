export * from './types.js';
export type { ResolvedSource, ResolvedPerturbation } from './resolved.js';
export { cleanGrad, perturbedGrad, mix } from './constructors.js';
export { describe } from './describe.js';
export { rwp, mRwp, arwp, mArwp, sam, asam, type RwpOptions, type ArwpOptions } from './presets.js';
export { toJSON, fromJSON, equals, type HyperJSON } from './serialize.js';
export { noiseKey } from './noiseKey.js';
export { resolve, statefulPaths, selectNames, ROOT_PATH } from './resolve.js';
