// A run of the four optimizers on one surface: the same start, the same keys, stepped together with optimix's real
// `step` (the sequential interpreter). It owns every tensor it holds (params, states, the batch) and frees them in
// `dispose`; a step frees the params and state it replaced, so tf.memory().numTensors stays flat.
import * as tf from '@tensorflow/tfjs-core';
import { disposeTree, fold, key, normalTensor, step, type Batch, type Optimizer, type OptimizerState, type Tree } from 'optimix';
import { lossOf, NOISE_STD, type Surface } from './surfaces.ts';
import { METHODS, type Method } from './methods.ts';

/** One optimizer's trajectory: its points, f at each point, and whether it stopped (diverged or failed). */
export interface Track {
  readonly points: [number, number][];
  readonly losses: number[];
  stopped?: string;
}

/** BATCH_ROWS: rows of the batch (the noisy quadratic's minibatch; m-RWP and m-sharpness SAM split it). */
const BATCH_ROWS = 4;
/** FAR: a point this far from the origin has diverged; its run stops. */
const FAR = 1e3;

/** A run: step(n) advances all four optimizers n steps; tracks hold what they did. */
export class Run {
  readonly tracks: Record<Method, Track>;
  t = 0;
  private readonly params: Partial<Record<Method, Tree>> = {};
  private readonly states: Partial<Record<Method, OptimizerState>> = {};
  private readonly loss;
  private readonly zeros: tf.Tensor;

  constructor(
    readonly surface: Surface,
    readonly opts: Partial<Record<Method, Optimizer>>,
    readonly start: readonly [number, number],
    readonly seed = 0,
  ) {
    this.loss = lossOf(surface);
    this.zeros = tf.zeros([BATCH_ROWS, 2]);
    const f0 = this.fieldAt([start]);
    const tracks: Partial<Record<Method, Track>> = {};
    for (const m of METHODS) {
      const opt = opts[m];
      tracks[m] = { points: [[start[0], start[1]]], losses: [f0[0] as number], ...(opt === undefined ? { stopped: 'not built' } : {}) };
      if (opt === undefined) continue;
      const w = { w: tf.tensor1d([start[0], start[1]]) };
      this.params[m] = w;
      this.states[m] = opt.init(w, key(seed));
    }
    this.tracks = tracks as Record<Method, Track>;
  }

  /** batch(t): the step's batch — for a noisy surface z ~ N(0, NOISE_STD²) from fold(key(seed + 1), t), else zeros. */
  private batch(t: number): Batch {
    return { z: this.surface.noisy ? normalTensor(fold(key(this.seed + 1), t), [BATCH_ROWS, 2], NOISE_STD) : this.zeros };
  }

  /** fieldAt(points): f at each point (one tfjs call). */
  fieldAt(points: readonly (readonly [number, number])[]): number[] {
    return tf.tidy(() => Array.from(this.surface.field(tf.tensor1d(points.map((p) => p[0])), tf.tensor1d(points.map((p) => p[1]))).dataSync()));
  }

  /** step(n): n steps of every optimizer still running. */
  step(n: number): void {
    for (let i = 0; i < n; i++) {
      const batch = this.batch(this.t);
      const moved: Method[] = [];
      try {
        for (const m of METHODS) {
          const track = this.tracks[m];
          if (track.stopped !== undefined) continue;
          try {
            const r = step(this.opts[m] as Optimizer, this.loss, this.params[m] as Tree, batch, this.states[m] as OptimizerState);
            disposeTree([this.params[m], this.states[m]]);
            this.params[m] = r.params;
            this.states[m] = r.state;
            const [x, y] = (r.params['w'] as tf.Tensor).dataSync();
            if (!(Number.isFinite(x) && Number.isFinite(y)) || Math.hypot(x as number, y as number) > FAR) track.stopped = 'diverged';
            else {
              track.points.push([x as number, y as number]);
              moved.push(m);
            }
          } catch (e) {
            track.stopped = `failed: ${e instanceof Error ? e.message : String(e)}`;
          }
        }
      } finally {
        if (batch['z'] !== this.zeros) disposeTree(batch);
      }
      const f = moved.length === 0 ? [] : this.fieldAt(moved.map((m) => this.tracks[m].points.at(-1) as [number, number]));
      moved.forEach((m, j) => this.tracks[m].losses.push(f[j] as number));
      this.t++;
    }
  }

  /** last(m): where optimizer m is now. */
  last(m: Method): [number, number] {
    return this.tracks[m].points.at(-1) as [number, number];
  }

  /** dispose(): free every tensor the run holds. */
  dispose(): void {
    disposeTree([this.params, this.states, this.zeros]);
  }
}
