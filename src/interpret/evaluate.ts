import type { Batch, LossFn } from '../model.js';
import type { Normals } from '../perturbation/normals.js';
import type { Key } from '../random.js';
import type { Evaluation, NodeContext, ResolvedSource, SourceState } from '../source/node.js';
import { sourceDef } from '../source/walk.js';
import type { Tree } from '../tree.js';
import { valueAndGrad } from './valueAndGrad.js';

export type { Evaluation, SourceState } from '../source/node.js';
export { combine, sameShape } from '../source/mix.js';

/** What every node evaluation shares within one step. */
export interface EvalContext {
  readonly loss: LossFn;
  readonly stepKey: Key;
  readonly state: SourceState;
  /** Where the noise's standard normals come from; default `drawNormals` (the parallel interpreter may have them drawn ahead). */
  readonly normals?: Normals;
}

/** Clean evaluations made in this step, by point and batch (a clean gradient is taken once however many nodes use it). */
type Memo = Map<Tree, Map<Batch, Evaluation>>;

/**
 * evaluate(node, params, batch, ctx): run a resolved gradient source one step, in this thread, by its kind's
 * definition. Deterministic: a perturbation's noise is drawn from noiseKey(stepKey, perturbation), so any interpreter
 * gets the same numbers. Call inside tf.tidy; it creates tensors freely and returns new ones.
 */
export function evaluate(node: ResolvedSource, params: Tree, batch: Batch, ctx: EvalContext, memo: Memo = new Map()): Evaluation {
  const nodeCtx: NodeContext = {
    ...ctx,
    evaluate: (n, p, b) => evaluate(n, p, b, ctx, memo),
    gradient: (p, b) => valueAndGrad(ctx.loss, p, b),
    clean: (p, b) => {
      const byBatch = memo.get(p) ?? new Map<Batch, Evaluation>();
      memo.set(p, byBatch);
      const hit = byBatch.get(b);
      if (hit !== undefined) return { ...hit, gradEvals: 0, state: {} };
      const { value, grads } = valueAndGrad(ctx.loss, p, b);
      const e: Evaluation = { grads, loss: value, at: 'w', state: {}, gradEvals: 1 };
      byBatch.set(b, e);
      return e;
    },
  };
  return sourceDef(node, 'evaluate').evaluate(node, params, batch, nodeCtx);
}
