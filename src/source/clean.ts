import { defineSource } from './define.js';
import type { CleanGrad } from './types.js';

defineSource<CleanGrad, { kind: 'clean'; path: string }>({
  kind: 'clean',
  make: () => cleanGrad,
  resolve: () => ({}),
  evaluate: (_node, params, batch, ctx) => ctx.clean(params, batch),
  describe: (_node, d) => `∇L(w${d.batch})`,
  cost: (_node, c) => ({ clean: new Set([c.batch]), other: 0, depth: 1 }),
});

/** cleanGrad: ∇L(w; B), the gradient at the current weights. */
export const cleanGrad: CleanGrad = Object.freeze({ kind: 'clean' });
