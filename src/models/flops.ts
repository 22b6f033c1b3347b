import { mlpForwardFlops } from './mlp.js';
import { resnetSmallForwardFlops } from './resnetSmall.js';
import { smallCnnForwardFlops } from './smallCnn.js';
import { positiveInt, type ModelSpec } from './spec.js';

/**
 * An analytic FLOP count. Convention: a multiply-add counts 2 FLOPs (so a dense layer is 2·in·out, a conv
 * 2·ho·wo·kh·kw·cin·cout); bias adds, scale/shift, relu, residual adds and pooling count 1 FLOP per element
 * operation (max pool k×k: k²−1 comparisons per output); the loss head (softmax/cross-entropy) is not counted.
 * Backward ≈ 2 × forward (input and weight gradients each cost about one forward), so forward+backward ≈ 3 × forward.
 */
export interface FlopCount {
  /** The batch size the totals are for. */
  readonly batchSize: number;
  /** FLOPs of one example's forward pass (through the logits). */
  readonly forwardPerExample: number;
  /** forward = batchSize · forwardPerExample. */
  readonly forward: number;
  /** backward ≈ 2 · forward. */
  readonly backward: number;
  /** forwardBackward ≈ 3 · forward: the cost of one loss+gradient evaluation. */
  readonly forwardBackward: number;
}

/** forwardFlopsPerExample(spec): FLOPs of one example's forward pass, under the convention documented on `FlopCount`. */
export function forwardFlopsPerExample(spec: ModelSpec): number {
  switch (spec.kind) {
    case 'mlp':
      return mlpForwardFlops(spec.options);
    case 'smallCnn':
      return smallCnnForwardFlops(spec.options);
    case 'resnetSmall':
      return resnetSmallForwardFlops(spec.options);
    default:
      throw new Error(`flops: unknown model kind '${String((spec as { kind?: unknown }).kind)}'`);
  }
}

/** flops(spec, batchSize): forward = batchSize · forwardFlopsPerExample(spec), backward = 2·forward, forwardBackward = 3·forward. */
export function flops(spec: ModelSpec, batchSize: number): FlopCount {
  positiveInt(batchSize, 'flops: batchSize');
  const forwardPerExample = forwardFlopsPerExample(spec);
  const forward = batchSize * forwardPerExample;
  return Object.freeze({ batchSize, forwardPerExample, forward, backward: 2 * forward, forwardBackward: 3 * forward });
}
