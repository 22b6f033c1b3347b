import * as tf from '@tensorflow/tfjs-core';
import { OptimixError } from '../errors.js';
import { map, zerosLike, zipWith, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, ok, orThrow, problem, rules, type Validation } from '../validate.js';
import { stateless, transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** One Newton–Schulz step's coefficients (a, b, c): X ← a·X + (b·A + c·A²)·X with A = X·Xᵀ. */
export type NewtonSchulzCoefficients = readonly [number, number, number];

/** Keller Jordan's quintic coefficients, optax's default: (3.4445, −4.7750, 2.0315). */
export const MUON_NS_COEFFS: NewtonSchulzCoefficients = [3.4445, -4.775, 2.0315];

/**
 * orthogonalizeViaNewtonSchulz(x, coeffs, steps = 5, eps = 1e-8): an approximate U·Vᵀ of a 2-D x = U·S·Vᵀ — x/(‖x‖_F + eps),
 * then `steps` iterations X ← a·X + (b·A + c·A²)·X, A = X·Xᵀ, on the wide orientation (Jordan et al. 2024; optax.contrib.orthogonalize_via_newton_schulz).
 * `coeffs` is one triple for every step, or one triple per step (the last `steps` are used).
 */
export function orthogonalizeViaNewtonSchulz(x: tf.Tensor, coeffs: NewtonSchulzCoefficients | readonly NewtonSchulzCoefficients[] = MUON_NS_COEFFS, steps = 5, eps = 1e-8): tf.Tensor {
  if (x.rank !== 2) throw new OptimixError(`orthogonalizeViaNewtonSchulz: x must be 2-D, got shape [${x.shape.join(', ')}]`);
  const perStep = typeof coeffs[0] === 'number' ? Array.from({ length: steps }, () => coeffs as NewtonSchulzCoefficients) : (coeffs as readonly NewtonSchulzCoefficients[]).slice(-steps);
  return tf.tidy(() => {
    const tall = (x.shape[0] as number) > (x.shape[1] as number);
    let X = tall ? tf.transpose(x) : x;
    X = tf.div(X, tf.add(tf.norm(X), eps));
    for (const [a, b, c] of perStep) {
      const A = tf.matMul(X, X, false, true);
      const B = tf.add(tf.mul(A, b), tf.mul(tf.matMul(A, A), c));
      X = tf.add(tf.mul(X, a), tf.matMul(B, X));
    }
    return tall ? tf.transpose(X) : X;
  });
}

/** Options of `scaleByMuon` (optax's names and defaults). */
export interface MuonOptions {
  /** Newton–Schulz coefficients: one triple, or one per step; default MUON_NS_COEFFS. */
  readonly nsCoeffs?: NewtonSchulzCoefficients | readonly NewtonSchulzCoefficients[];
  /** Newton–Schulz iterations; default 5. */
  readonly nsSteps?: number;
  /** Momentum decay; default 0.95. */
  readonly beta?: number;
  /** Added to ‖x‖_F before the iterations; default 1e-8. */
  readonly eps?: number;
  /** Nesterov momentum; default true. */
  readonly nesterov?: boolean;
  /** Scale the orthogonalized update O by ⟨m̂, O⟩ (adaptive Muon); default false. */
  readonly adaptive?: boolean;
}

const triple = (c: unknown): boolean => Array.isArray(c) && c.length === 3 && c.every((x) => typeof x === 'number' && Number.isFinite(x));

/** checkMuonOptions(o): the validation of Muon's options, shared by `muon`. */
export const checkMuonOptions = (o: MuonOptions): Validation<unknown> => {
  const steps = o.nsSteps ?? 5;
  const c = o.nsCoeffs ?? MUON_NS_COEFFS;
  const coeffsOk = triple(c) || (Array.isArray(c) && c.length >= steps && c.every(triple));
  return all({
    nsCoeffs: coeffsOk ? ok(c) : problem(`nsCoeffs must be a triple [a, b, c] of finite numbers, or at least nsSteps (${steps}) of them`),
    nsSteps: num('nsSteps', steps, rules.positiveInteger),
    beta: num('beta', o.beta ?? 0.95, rules.unitOpen),
    eps: num('eps', o.eps ?? 1e-8, rules.nonNegative),
    nesterov: bool('nesterov', o.nesterov ?? true),
    adaptive: bool('adaptive', o.adaptive ?? false),
  });
};

/**
 * scaleByMuon({ nsCoeffs, nsSteps = 5, beta = 0.95, eps = 1e-8, nesterov = true, adaptive = false }), for 2-D leaves:
 * m ← β·m + (1−β)·u; m̂ = m/(1−βᵗ) (Nesterov: β·m/(1−βᵗ⁺¹) + (1−β)·u/(1−βᵗ)); out = NewtonSchulz(m̂)
 * (Jordan et al. 2024, "Muon"; optax.contrib.scale_by_muon).
 */
export const scaleByMuon = defineTransform('scaleByMuon', function scaleByMuon(options: MuonOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias corrections). */
  readonly count: number;
  /** The momentum m. */
  readonly mu: Tree;
}> {
  orThrow(all({ options: knownKeys(options, ['nsCoeffs', 'nsSteps', 'beta', 'eps', 'nesterov', 'adaptive']), muon: checkMuonOptions(options) }), 'scaleByMuon');
  const { nsCoeffs = MUON_NS_COEFFS, nsSteps = 5, beta = 0.95, eps = 1e-8, nesterov = true, adaptive = false } = options;
  return transformation(
    (params) => {
      const flat = Object.entries(params).filter(([, x]) => x.rank !== 2).map(([n, x]) => `'${n}' [${x.shape.join(', ')}]`);
      if (flat.length > 0) throw new OptimixError(`scaleByMuon: every leaf must be 2-D (use muon, which gives the others to Adam); got ${flat.join(', ')}`);
      return { count: 0, mu: zerosLike(params) };
    },
    (u, { count, mu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - beta), tf.mul(mi, beta)));
      const c1 = 1 - Math.pow(beta, t);
      const mHat = nesterov
        ? zipWith(m, u, (mi, g) => tf.add(tf.mul(tf.div(mi, 1 - Math.pow(beta, t + 1)), beta), tf.mul(tf.div(g, c1), 1 - beta)))
        : map(m, (mi) => tf.div(mi, c1));
      const out = map(mHat, (x) => {
        const o = orthogonalizeViaNewtonSchulz(x, nsCoeffs, nsSteps, eps);
        return adaptive ? tf.mul(tf.sum(tf.mul(x, o)), o) : o;
      });
      return [out, { count: t, mu: m }];
    },
  );
});

/** scaleByShape(): for a 2-D leaf [fanIn, fanOut], u ↦ u·√max(1, fanOut/fanIn) — Muon's width-transfer scale (optax.contrib.scale_by_shape). */
export const scaleByShape = defineTransform('scaleByShape', function scaleByShape(): GradientTransformation<null> {
  return stateless((u) => map(u, (x) => (x.rank === 2 ? tf.mul(x, Math.sqrt(Math.max(1, (x.shape[1] as number) / (x.shape[0] as number)))) : x)));
});
