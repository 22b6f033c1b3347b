import { defineTransform } from './define.js';
import type { GradientTransformation } from './types.js';

/** identity: u ↦ u, no state. The unit of `chain`. */
export const identity: GradientTransformation<null> = defineTransform('identity', function identity(): GradientTransformation<null> {
  return { init: () => null, update: (updates) => [updates, null] };
}, { params: [], formula: () => 'g ← g' })();
