import * as tf from '@tensorflow/tfjs-core';
import { map, zipWith3, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByFactoredRms`; defaults as optax's: factored, decayRate 0.8, decayOffset 0, minDimSizeToFactor 128, eps 1e-30. */
export interface FactoredRmsOptions {
  /** Factor the second moment of rank ≥ 2 leaves into row and column means; default true. */
  readonly factored?: boolean;
  /** β̂ₜ = 1 − (t + 1)^(−decayRate), t the steps since decayOffset; default 0.8. */
  readonly decayRate?: number;
  /** The step the decay schedule starts from; default 0. */
  readonly decayOffset?: number;
  /** Factor only when the second-largest dimension is at least this; default 128. */
  readonly minDimSizeToFactor?: number;
  /** Added to u² before averaging; default 1e-30. */
  readonly eps?: number;
}

/** The two largest axes of a shape [second largest, largest] (ties: the later axis counts as larger), or null when not factored. */
function factoredDims(shape: readonly number[], factored: boolean, min: number): readonly [number, number] | null {
  if (!factored || shape.length < 2) return null;
  const sorted = shape.map((n, i) => [n, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
  const [d1, d0] = [sorted[sorted.length - 2] as number, sorted[sorted.length - 1] as number];
  return (shape[d1] as number) < min ? null : [d1, d0];
}

/**
 * scaleByFactoredRms({ factored, decayRate = 0.8, minDimSizeToFactor = 128, eps = 1e-30 }): Adafactor's scaling
 * (Shazeer & Stern 2018; optax.scale_by_factored_rms). β̂ₜ = 1 − (t+1)^(−decayRate); for a factored leaf, with
 * d0 its largest axis and d1 the next, R ← β̂R + (1−β̂)·mean_d0(u² + eps), C ← β̂C + (1−β̂)·mean_d1(u² + eps),
 * out = u·(R/mean(R))^(−½)·C^(−½); otherwise v ← β̂v + (1−β̂)(u² + eps), out = u·v^(−½).
 */
export const scaleByFactoredRms = defineTransform('scaleByFactoredRms', function scaleByFactoredRms(options: FactoredRmsOptions = {}): GradientTransformation<{
  /** Updates so far. */
  readonly count: number;
  /** Row means R of factored leaves ([1] zeros for the others). */
  readonly vRow: Tree;
  /** Column means C of factored leaves ([1] zeros for the others). */
  readonly vCol: Tree;
  /** The full second moment v of unfactored leaves ([1] zeros for the others). */
  readonly v: Tree;
}> {
  const { factored = true, decayRate = 0.8, decayOffset = 0, minDimSizeToFactor = 128, eps = 1e-30 } = options;
  orThrow(
    all({
      options: knownKeys(options, ['factored', 'decayRate', 'decayOffset', 'minDimSizeToFactor', 'eps']),
      factored: bool('factored', factored),
      decayRate: num('decayRate', decayRate, rules.nonNegative),
      decayOffset: num('decayOffset', decayOffset, { test: Number.isInteger, says: 'must be an integer' }),
      minDimSizeToFactor: num('minDimSizeToFactor', minDimSizeToFactor, rules.positiveInteger),
      eps: num('eps', eps, rules.nonNegative),
    }),
    'scaleByFactoredRms',
  );
  const dims = (x: tf.Tensor) => factoredDims(x.shape, factored, minDimSizeToFactor);
  const one = () => tf.zeros([1]);
  return transformation(
    (params) => ({
      count: 0,
      vRow: map(params, (x) => { const d = dims(x); return d === null ? one() : tf.zeros(x.shape.filter((_, i) => i !== d[1])); }),
      vCol: map(params, (x) => { const d = dims(x); return d === null ? one() : tf.zeros(x.shape.filter((_, i) => i !== d[0])); }),
      v: map(params, (x) => (dims(x) === null ? tf.zerosLike(x) : one())),
    }),
    (u, { count, vRow, vCol, v }) => {
      const beta = 1 - Math.pow(count - decayOffset + 1, -decayRate);
      const ema = (old: tf.Tensor, x: tf.Tensor) => tf.add(tf.mul(old, beta), tf.mul(x, 1 - beta));
      const rows: Record<string, tf.Tensor> = {};
      const cols: Record<string, tf.Tensor> = {};
      const full: Record<string, tf.Tensor> = {};
      const out = zipWith3(u, vRow, vCol, (g, r, c, name) => {
        const d = dims(g);
        const g2 = tf.add(tf.square(g), eps);
        if (d === null) {
          const nv = ema(v[name] as tf.Tensor, g2);
          [rows[name], cols[name], full[name]] = [r.clone(), c.clone(), nv];
          return tf.mul(g, tf.rsqrt(nv));
        }
        const [d1, d0] = d;
        const nr = ema(r, tf.mean(g2, d0));
        const nc = ema(c, tf.mean(g2, d1));
        [rows[name], cols[name], full[name]] = [nr, nc, (v[name] as tf.Tensor).clone()];
        const rowFactor = tf.rsqrt(tf.div(nr, tf.mean(nr, d1 > d0 ? d1 - 1 : d1, true)));
        return tf.mul(tf.mul(g, tf.expandDims(rowFactor, d0)), tf.expandDims(tf.rsqrt(nc), d1));
      });
      return [out, { count: count + 1, vRow: rows, vCol: cols, v: full }];
    },
  );
});
