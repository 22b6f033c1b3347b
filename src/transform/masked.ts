import type { Tree } from '../tree.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** A leaf selector: a predicate on parameter names, e.g. `(name) => !name.endsWith('bias')`. */
export type NameMask = (name: string, x: { readonly shape: readonly number[]; readonly rank: number }) => boolean;

const pick = (t: Tree, keep: readonly string[]): Tree => Object.fromEntries(keep.map((n) => [n, t[n]])) as Tree;

/** masked(mask, inner): inner on the leaves whose name the mask selects; every other leaf passes through unchanged and has no state. */
export const masked = defineTransform('masked', function masked(mask: NameMask, inner: AnyTransformation): GradientTransformation<{
  /** The inner transform's state, for the selected leaves only. */
  readonly inner: State;
}> {
  const selected = (params: Tree): string[] => Object.keys(params).filter((n) => mask(n, params[n] as Tree[string]));
  return {
    init: (params) => ({ inner: inner.init(pick(params, selected(params))) as State }),
    update: (updates, state, params) => {
      const keep = selected(params);
      const [u, s] = inner.update(pick(updates, keep), state.inner, pick(params, keep));
      const out: Record<string, Tree[string]> = {};
      for (const n of Object.keys(updates)) out[n] = keep.includes(n) ? (u[n] as Tree[string]) : (updates[n] as Tree[string]);
      return [out, { inner: s as State }];
    },
    // Not handlesNonFinite even if inner is: the leaves outside the mask pass NaN straight through.
  };
});
