// The 2-D loss surfaces of the landscapes view, written with tfjs ops so that optimix differentiates them. Each is an
// elementwise field f(x, y) (drawn on the contour plot, evaluated on a whole grid at once) and a loss on params
// `{ w: [2] }` and a batch `{ z: [4, 2] }` (the noisy quadratic's noise; the other surfaces ignore it).
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from 'optimix';

/** The hyperparameters a surface starts its four optimizers with (tuned to its scale). */
export interface SurfaceDefaults {
  readonly lr: number;
  readonly momentum: number;
  readonly steps: number;
  readonly rho: number;
  readonly sigma: number;
  readonly lambda: number;
}

/** A loss surface: its field, its loss, where it is drawn, where trajectories start, and its defaults. */
export interface Surface {
  readonly id: string;
  readonly title: string;
  /** What to look for, one or two sentences (shown under the plot). */
  readonly blurb: string;
  /** field(x, y): f elementwise (the expected loss for the noisy quadratic). */
  readonly field: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;
  /** x range, y range of the plot. */
  readonly domain: readonly [readonly [number, number], readonly [number, number]];
  readonly start: readonly [number, number];
  /** Contour levels on a log scale (for surfaces spanning decades, like Rosenbrock). */
  readonly log: boolean;
  /** Whether the batch carries noise drawn from the step key (the noisy quadratic). */
  readonly noisy: boolean;
  readonly defaults: SurfaceDefaults;
  /** Named regions (e.g. the sharp and the flat basin): where a trajectory ended, in words. */
  readonly regions?: readonly Region[];
}

/** A disc of the plane with a name (a phrase: 'in the sharp basin'), to say where a trajectory ended. */
export interface Region {
  readonly name: string;
  readonly center: readonly [number, number];
  readonly radius: number;
}

const sq = (t: tf.Tensor): tf.Tensor => tf.mul(t, t);
/** well(x, y, cx, cy, s, a) = a·exp(−((x−cx)² + (y−cy)²)/(2s²)). */
const well = (x: tf.Tensor, y: tf.Tensor, cx: number, cy: number, s: number, a: number): tf.Tensor =>
  tf.mul(a, tf.exp(tf.div(tf.add(sq(tf.sub(x, cx)), sq(tf.sub(y, cy))), -2 * s * s)));

/** Sharp and flat: f = 1.4 + 0.04·r² − 1.3·G(sharp; s = 0.17) − 1·G(flat; s = 0.9), the sharp basin deeper. */
export const SHARP = { center: [-1.1, 0.3] as const, s: 0.17, depth: 1.3 };
export const FLAT = { center: [1.2, -0.3] as const, s: 0.9, depth: 1.0 };

const sharpFlat: Surface = {
  id: 'sharp-flat',
  title: 'Sharp and flat basins',
  blurb: 'Two basins side by side: a narrow one (left, deeper) and a wide one (right). Plain gradient descent rolls into the sharp basin on its way and stays; SAM and RWP look around the weights and do not.',
  field: (x, y) => tf.tidy(() => tf.sub(tf.add(1.4, tf.mul(0.04, tf.add(sq(x), sq(y)))), tf.add(well(x, y, SHARP.center[0], SHARP.center[1], SHARP.s, SHARP.depth), well(x, y, FLAT.center[0], FLAT.center[1], FLAT.s, FLAT.depth)))),
  domain: [[-3, 3], [-2, 2]],
  start: [-2.5, 1.2],
  log: false,
  noisy: false,
  defaults: { lr: 0.02, momentum: 0.9, steps: 200, rho: 0.5, sigma: 0.5, lambda: 0.8 },
  regions: [
    { name: 'in the sharp basin', center: SHARP.center, radius: 0.5 },
    { name: 'in the flat basin', center: FLAT.center, radius: 1.2 },
  ],
};

const rosenbrock: Surface = {
  id: 'rosenbrock',
  title: 'Rosenbrock',
  blurb: 'f = (1 − x)² + 100·(y − x²)²: a curved, narrow valley with its minimum at (1, 1) (contours log-scaled). All four reach the valley floor in a few dozen steps, then crawl along it; across so steep a valley a small displacement changes the gradient a lot, so the perturbed methods zigzag and lag. ρ and σ are 0.01 here.',
  field: (x, y) => tf.tidy(() => tf.add(sq(tf.sub(1, x)), tf.mul(100, sq(tf.sub(y, sq(x)))))),
  domain: [[-2.25, 2.25], [-0.5, 2.5]],
  start: [-1.5, 2],
  log: true,
  noisy: false,
  defaults: { lr: 0.001, momentum: 0.9, steps: 500, rho: 0.01, sigma: 0.01, lambda: 0.5 },
  regions: [{ name: 'near the minimum (1, 1)', center: [1, 1], radius: 0.1 }],
};

const saddle: Surface = {
  id: 'saddle',
  title: 'Saddle',
  blurb: 'f = x² + y⁴/4 − y²/2: a saddle at the origin between two minima at (0, ±1). Started on the ridge y = 0, the gradient has no y part: SGD stalls at the saddle, and so does SAM, whose ascent follows the gradient; random noise (RWP) knocks it off the ridge.',
  field: (x, y) => tf.tidy(() => tf.add(sq(x), tf.sub(tf.div(sq(sq(y)), 4), tf.div(sq(y), 2)))),
  domain: [[-2.4, 2.4], [-1.6, 1.6]],
  start: [-2.2, 0],
  log: false,
  noisy: false,
  defaults: { lr: 0.02, momentum: 0.9, steps: 200, rho: 0.1, sigma: 0.1, lambda: 0.5 },
  regions: [
    { name: 'at the saddle', center: [0, 0], radius: 0.2 },
    { name: 'at the minimum (0, 1)', center: [0, 1], radius: 0.4 },
    { name: 'at the minimum (0, −1)', center: [0, -1], radius: 0.4 },
  ],
};

/** NOISE_STD: the std of the noisy quadratic's per-example centres z. */
export const NOISE_STD = 0.6;

const noisyQuadratic: Surface = {
  id: 'noisy-quadratic',
  title: 'Noisy quadratic',
  blurb: 'L(w; B) = mean over the 4 rows z of B of ½·((x − z₁)² + 4·(y − z₂)²), z ~ N(0, 0.6²) drawn from the step key: every step sees a different minibatch. The plot shows the expected loss.',
  field: (x, y) => tf.tidy(() => tf.mul(0.5, tf.add(sq(x), tf.mul(4, sq(y))))),
  domain: [[-3, 3], [-2, 2]],
  start: [-2.5, 1.5],
  log: false,
  noisy: true,
  defaults: { lr: 0.02, momentum: 0.9, steps: 200, rho: 0.1, sigma: 0.1, lambda: 0.5 },
};

/** The surfaces, the default first. */
export const SURFACES: readonly Surface[] = [sharpFlat, rosenbrock, saddle, noisyQuadratic];

/** lossOf(surface): L(params, batch) on params `{ w: [2] }`: the field at w, or (noisy quadratic) its minibatch form. */
export function lossOf(s: Surface): LossFn {
  return (params, batch: Batch) =>
    tf.tidy(() => {
      const w = params['w'] as tf.Tensor;
      if (s.noisy) {
        const d = tf.sub(tf.reshape(w, [1, 2]), batch['z'] as tf.Tensor); // [4, 2]
        return tf.mean(tf.mul(0.5, tf.sum(tf.mul(sq(d), tf.tensor1d([1, 4])), 1))) as tf.Scalar;
      }
      const [x, y] = tf.unstack(w);
      return tf.reshape(s.field(x as tf.Tensor, y as tf.Tensor), []) as tf.Scalar;
    });
}

/** regionOf(s, [x, y]): the name of the region the point lies in, or undefined. */
export function regionOf(s: Surface, p: readonly [number, number]): string | undefined {
  return s.regions?.find((r) => Math.hypot(p[0] - r.center[0], p[1] - r.center[1]) <= r.radius)?.name;
}
