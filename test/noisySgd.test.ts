/**
 * noisySgd = chain(addNoise, scaleByLearningRate), optax.noisy_sgd. Its noise cannot match optax's numbers (JAX's
 * threefry generator against optimix's keys), so the test checks the statistics, the determinism and the algebra instead.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as E from 'fp-ts/lib/Either.js';
import * as tf from '@tensorflow/tfjs-core';
import { addNoise, chain, key, noisySgd, ready, safeNoisySgd, scaleByLearningRate, type AnyTransformation, type State, type Tree } from '../src/index.js';

before(async () => {
  await ready();
});

/** The updates of t for each gradient in turn, as plain arrays (tensors disposed). */
function feed(t: AnyTransformation, params: Tree, grads: readonly Tree[]): number[][] {
  return tf.tidy(() => {
    let s: State = t.init(params);
    const out: number[][] = [];
    for (const g of grads) {
      const [u, next] = t.update(g, s, params);
      out.push(Array.from((u['w'] as tf.Tensor).dataSync()));
      s = next;
    }
    return out;
  });
}

test('noisySgd(lr): u = −lr·(g + n), n ~ N(0, η/tᵞ): mean −lr·g, std lr·√(η/tᵞ) (η = 4, γ = 1, lr = 0.5, 20 000 draws, within 3%)', () => {
  const n = 20000;
  const p = { w: tf.zeros([n]) };
  const g = { w: tf.fill([n], 2) };
  const [u1, , , u4] = feed(noisySgd(0.5, { eta: 4, gamma: 1, key: key(5) }), p, [g, g, g, g]);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const std = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / xs.length);
  // scaleByLearningRate(0.5) is −0.5·: mean −1; std 0.5·√4 = 1 at t = 1 and 0.5·√(4/4) = 0.5 at t = 4.
  assert.ok(Math.abs(mean(u1!) + 1) < 0.03, `mean at t = 1: ${mean(u1!)}`);
  assert.ok(Math.abs(std(u1!) - 1) < 0.03, `std at t = 1: ${std(u1!)}`);
  assert.ok(Math.abs(std(u4!) - 0.5) < 0.015, `std at t = 4: ${std(u4!)}`);
  tf.dispose([p.w, g.w]);
});

test('noisySgd: same key ⇒ the same updates bit for bit, another key ⇒ others; equals chain(addNoise, scaleByLearningRate); defaults η = 0.01, γ = 0.55, key(0)', () => {
  const before = tf.memory().numTensors;
  const p = { w: tf.zeros([64]) };
  const g = { w: tf.ones([64]) };
  const run = (t: AnyTransformation) => feed(t, p, [g, g, g]);
  assert.deepEqual(run(noisySgd(0.1, { key: key(1) })), run(noisySgd(0.1, { key: key(1) })));
  assert.notDeepEqual(run(noisySgd(0.1, { key: key(2) }))[0], run(noisySgd(0.1, { key: key(1) }))[0]);
  assert.deepEqual(run(noisySgd(0.1, { eta: 0.3, gamma: 0.7, key: key(3) })), run(chain(addNoise({ eta: 0.3, gamma: 0.7, key: key(3) }), scaleByLearningRate(0.1))));
  assert.deepEqual(run(noisySgd(0.1)), run(chain(addNoise({ eta: 0.01, gamma: 0.55, key: key(0) }), scaleByLearningRate(0.1))));
  tf.dispose([p.w, g.w]);
  assert.equal(tf.memory().numTensors, before);
});

test('noisySgd: bad hyperparameters are all named at once; safeNoisySgd returns them as Left', () => {
  assert.throws(() => noisySgd(-1, { eta: -1, gamma: NaN, key: [1] as never }), (e: Error) => /learningRate/.test(e.message) && /eta/.test(e.message) && /gamma/.test(e.message) && /key must be made by key\(seed\)/.test(e.message));
  assert.throws(() => noisySgd(0.1, { etaa: 1 } as never), /unknown option 'etaa'; did you mean 'eta'\?/);
  const v = safeNoisySgd(0.1, { gamma: -1 });
  assert.ok(E.isLeft(v) && v.left.some((m) => /gamma/.test(m)));
});
