import type { GradientTransformation } from './types.js';

/** identity: u ↦ u, no state. The unit of `chain`. */
export const identity: GradientTransformation<null> = {
  init: () => null,
  update: (updates) => [updates, null],
};
