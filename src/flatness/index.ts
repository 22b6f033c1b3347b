/**
 * Flatness measures of a loss at given parameters: random filter-normalized perturbations (Li et al. 2018),
 * SAM sharpness (Foret et al. 2021), the top Hessian eigenvalue (power iteration on Hessian-vector
 * products) and 1-D / 2-D loss slices. All are pure: inputs are neither modified nor disposed, every
 * tensor they create is disposed, results are JS numbers (trees only from filterNormalizedDirection and
 * hessianVectorProduct, which the caller owns).
 *
 * @module optimix/flatness
 */
export { filterNormalizedDirection, type BiasMode, type DirectionOptions } from './direction.js';
export {
  expectedPerturbedLoss,
  type ExpectedPerturbedLossOptions,
  type ExpectedPerturbedLossResult,
} from './perturbedLoss.js';
export { samSharpness, type SamSharpnessOptions, type SamSharpnessResult } from './samSharpness.js';
export { hessianVectorProduct, type HvpMethod, type HvpOptions } from './hvp.js';
export {
  topHessianEigenvalue,
  type TopHessianEigenvalueOptions,
  type TopHessianEigenvalueResult,
} from './hessian.js';
export {
  lossSlice1D,
  lossSlice2D,
  type LossSlice1DOptions,
  type LossSlice1DResult,
  type LossSlice2DOptions,
  type LossSlice2DResult,
} from './slice.js';
