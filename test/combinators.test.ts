/**
 * The optax combinators on hand-computed values, their argument checks, and how they meet `step`.
 * Run: node --import tsx --test test/combinators.test.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ready } from '../src/backend.js';
import { optimizer, step } from '../src/optimizer.js';
import { key } from '../src/random.js';
import { cleanGrad } from '../src/source/constructors.js';
import { disposeReplaced, disposeTree, type Tree } from '../src/tree.js';
import {
  adamw,
  adaptiveGradClip,
  addDecayedWeights,
  addNoise,
  applyEvery,
  centralize,
  chain,
  ema,
  exceptBiasesAndNorms,
  freeze,
  lookahead,
  namedChain,
  partition,
  sgd,
  skipLargeUpdates,
  zeroNans,
  type AnyTransformation,
  type LookaheadState,
  type SkipLargeUpdatesState,
  type State,
} from '../src/transform/index.js';
import { refused } from './helpers/refused.js';

before(async () => {
  await ready({ backend: 'cpu' });
});

const t1 = (xs: number[]): tf.Tensor => tf.tensor1d(xs);
const values = (t: Tree): Record<string, number[]> => Object.fromEntries(Object.entries(t).map(([n, x]) => [n, Array.from(x.dataSync())]));

/** Feed a list of gradients through t (params fixed at `params`); the updates of each call, as arrays. */
function feed(t: AnyTransformation, params: Tree, grads: Tree[]): Record<string, number[]>[] {
  let s: State = t.init(params);
  const out: Record<string, number[]>[] = [];
  for (const g of grads) {
    const [u, next] = t.update(g, s, params);
    out.push(values(u));
    s = next;
  }
  return out;
}

const close = (got: number[], want: number[], tol = 1e-6): void =>
  want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= tol * Math.max(1, Math.abs(w)), `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`));

test('ema(0.5): m = 1 then 2.5, debiased 1/(1 − 0.5) = 2 and 2.5/(1 − 0.25) = 3.333…; without debias m itself', () => {
  tf.tidy(() => {
    const p = { w: t1([0]) };
    const gs = [{ w: t1([2]) }, { w: t1([4]) }];
    const [a, b] = feed(ema(0.5), p, gs);
    close(a!['w']!, [2]);
    close(b!['w']!, [10 / 3]);
    const [c, d] = feed(ema(0.5, { debias: false }), p, gs);
    close(c!['w']!, [1]);
    close(d!['w']!, [2.5]);
  });
});

test('applyEvery(2): zeros, then the sum of two updates; the sum restarts after each output', () => {
  tf.tidy(() => {
    const out = feed(applyEvery(2), { w: t1([0]) }, [1, 2, 5, 1].map((x) => ({ w: t1([x]) })));
    assert.deepEqual(out.map((u) => u['w']![0]), [0, 3, 0, 6]);
  });
});

test('lookahead(sgd(1), k = 2, α = 0.5) from w = 0 with g = 1: w = −1, then d = −2, w stays −1 and φ = −1', () => {
  tf.tidy(() => {
    const t = lookahead(sgd(1), { syncPeriod: 2, slowStepSize: 0.5 });
    let w: Tree = { w: t1([0]) };
    let s = t.init(w);
    const ws: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [u, next] = t.update({ w: t1([1]) }, s, w);
      w = { w: tf.add(w['w']!, u['w']!) };
      s = next;
      ws.push(w['w']!.dataSync()[0]!);
    }
    assert.deepEqual(ws, [-1, -1]);
    assert.deepEqual(Array.from((s as LookaheadState).slow['w']!.dataSync()), [-1]);
    assert.equal((s as LookaheadState).stepsSinceSync, 0);
  });
});

test('centralize: [[1, 2], [3, 6]] loses its row means (default axis 0, optax\'s) or its column means (axis −1, per output filter); rank 1 passes through', () => {
  tf.tidy(() => {
    const g = { k: tf.tensor2d([[1, 2], [3, 6]]), b: t1([1, 2]) };
    const [first] = feed(centralize(), g, [g]);
    assert.deepEqual(first!['k'], [-0.5, 0.5, -1.5, 1.5]);
    assert.deepEqual(first!['b'], [1, 2]);
    const [last] = feed(centralize({ axis: -1 }), g, [g]);
    assert.deepEqual(last!['k'], [-1, -2, 1, 2]);
  });
});

test('adaptiveGradClip(0.1): ‖w‖ = 5, ‖g‖ = 10 clips g to norm 0.5; a small g passes; w = 0 clips to λ·eps', () => {
  tf.tidy(() => {
    const [a] = feed(adaptiveGradClip(0.1), { w: t1([3, 4]) }, [{ w: t1([6, 8]) }]);
    close(a!['w']!, [0.3, 0.4]);
    const [b] = feed(adaptiveGradClip(0.1), { w: t1([3, 4]) }, [{ w: t1([0.03, 0.04]) }]);
    close(b!['w']!, [0.03, 0.04]);
    const [c] = feed(adaptiveGradClip(0.1), { w: t1([0, 0]) }, [{ w: t1([3, 4]) }]);
    close(c!['w']!, [0.6e-4, 0.8e-4]);
    // Per output unit: each column of a [2, 2] kernel on its own (‖wᵢ‖ = 1, so mᵢ = 0.1): column 0 (norm 5) is clipped, column 1 (norm 0.05) is not.
    const [d] = feed(adaptiveGradClip(0.1), { k: tf.tensor2d([[1, 0], [0, 1]]) }, [{ k: tf.tensor2d([[3, 0.03], [4, 0.04]]) }]);
    close(d!['k']!, [0.06, 0.03, 0.08, 0.04]);
    // optax's units: a [1, 2] kernel has one non-trivial axis, so it is one unit (norm 5 > 0.1·1: scaled as a whole);
    // with axis −1 each of its two columns is a unit (|3| and |4| against 0.1·max(|wᵢ|, eps)).
    const w12 = { k: tf.tensor2d([[0.6, 0.8]]) };
    const g12 = { k: tf.tensor2d([[3, 4]]) };
    close(feed(adaptiveGradClip(0.1), w12, [g12])[0]!['k']!, [0.06, 0.08]);
    close(feed(adaptiveGradClip(0.1, { axis: -1 }), w12, [g12])[0]!['k']!, [0.06, 0.08]);
    const g12b = { k: tf.tensor2d([[0.01, 4]]) };
    close(feed(adaptiveGradClip(0.1), w12, [g12b])[0]!['k']!, [0.01 * 0.1 / Math.hypot(0.01, 4), 4 * 0.1 / Math.hypot(0.01, 4)], 1e-5);
    close(feed(adaptiveGradClip(0.1, { axis: -1 }), w12, [g12b])[0]!['k']!, [0.01, 0.08], 1e-5);
  });
});

test('zeroNans: NaN → 0, ±Inf kept, the state flags the leaf; through step a NaN gradient is not rejected', () => {
  tf.tidy(() => {
    const t = zeroNans();
    const p = { a: t1([0, 0, 0]), b: t1([0]) };
    const [u, s] = t.update({ a: t1([1, NaN, Infinity]), b: t1([2]) }, t.init(p), p);
    assert.deepEqual(Array.from(u['a']!.dataSync()), [1, 0, Infinity]);
    assert.deepEqual(Array.from(s.foundNan['a']!.dataSync()), [1]);
    assert.deepEqual(Array.from(s.foundNan['b']!.dataSync()), [0]);
  });
  const params = { w: t1([1, -1]) };
  const rule = namedChain(['nan', zeroNans()], ['sgd', sgd(0.5)]);
  const o = optimizer(cleanGrad, rule);
  const s0 = o.init(params);
  // d/dw Σ √w: 1/(2√w), NaN for w < 0.
  const loss = (p: Tree) => tf.tidy(() => tf.sum(tf.sqrt(p['w']!)) as tf.Scalar);
  const r = step(o, loss, params, {}, s0);
  close(Array.from(r.params['w']!.dataSync()), [0.75, -1]);
  disposeTree([params, s0, r.params, r.state]);
});

test('skipLargeUpdates(sgd(1), { maxSquaredNorm: 10 }): Σg² = 9 applies, 10 and NaN skip (zeros, inner state kept, counted)', () => {
  tf.tidy(() => {
    const t = skipLargeUpdates(sgd(1, { momentum: 0.5 }), { maxSquaredNorm: 10 });
    const p = { w: t1([0, 0]) };
    let s = t.init(p);
    const outs: number[][] = [];
    for (const g of [[3, 0], [3, 1], [NaN, 0], [1, 0]]) {
      const [u, next] = t.update({ w: t1(g) }, s, p);
      outs.push(Array.from(u['w']!.dataSync()));
      s = next;
    }
    // momentum: m = 3, then skipped twice, then m = 0.5·3 + 1 = 2.5.
    assert.deepEqual(outs, [[-3, -0], [0, 0], [0, 0], [-2.5, -0]]);
    assert.equal((s as SkipLargeUpdatesState).skipped, 2);
  });
});

test('freeze and partition: frozen leaves get zeros; partition sends each label to its transform and keeps state per label', () => {
  tf.tidy(() => {
    const p = { w: t1([1]), b: t1([1]) };
    const [f] = feed(freeze((n) => n === 'b'), p, [{ w: t1([2]), b: t1([2]) }]);
    assert.deepEqual(f, { w: [2], b: [0] });
    const t = partition({ fast: sgd(1), slow: sgd(0.1) }, { w: 'fast', b: 'slow' });
    const s = t.init(p);
    assert.deepEqual(Object.keys(s.innerStates).sort(), ['fast', 'slow']);
    const [u] = t.update({ w: t1([2]), b: t1([2]) }, s, p);
    close(Array.from(u['w']!.dataSync()), [-2]);
    close(Array.from(u['b']!.dataSync()), [-0.2]);
  });
});

test('the weight-decay mask: exceptBiasesAndNorms decays kernels (rank ≥ 2) and leaves biases alone, in addDecayedWeights, sgd and adamw', () => {
  tf.tidy(() => {
    const p = { k: tf.tensor2d([[1, 2]]), b: t1([1, 2]) };
    const g = { k: tf.tensor2d([[0, 0]]), b: t1([0, 0]) };
    const [u] = feed(addDecayedWeights(0.5, { mask: exceptBiasesAndNorms }), p, [g]);
    assert.deepEqual(u, { k: [0.5, 1], b: [0, 0] });
    const [v] = feed(sgd(1, { weightDecay: 0.5, mask: exceptBiasesAndNorms }), p, [g]);
    assert.deepEqual(v, { k: [-0.5, -1], b: [-0, -0] });
  });
});

test('a mask may be a tree of booleans, as in optax: freeze and the decay mask accept { name: boolean }; a leaf it does not name is an error', () => {
  tf.tidy(() => {
    const p = { k: tf.tensor2d([[1, 2]]), b: t1([1, 2]) };
    const g = { k: tf.tensor2d([[1, 1]]), b: t1([1, 1]) };
    assert.deepEqual(feed(freeze({ k: false, b: true }), p, [g]), feed(freeze((n) => n === 'b'), p, [g]));
    assert.deepEqual(feed(adamw(0.1, { weightDecay: 0.5, mask: { k: true, b: false } }), p, [g, g]), feed(adamw(0.1, { weightDecay: 0.5, mask: exceptBiasesAndNorms }), p, [g, g]));
    assert.match(refused(() => feed(freeze({ k: true }), p, [g])), /mask has no entry for parameter 'b'/);
    assert.match(refused(() => freeze({ k: 'yes' as never })), /mask\['k'\]/);
  });
});

test('addNoise: same key ⇒ the same noise; another key or step ⇒ other noise; std √(η/tᵞ) (η = 4, γ = 1: 2 at t = 1, 1 at t = 4, within 3% over 20 000 draws)', () => {
  tf.tidy(() => {
    const p = { a: tf.zeros([20000]), b: tf.zeros([20000]) };
    const run = (k: number) => feed(addNoise({ eta: 4, gamma: 1, key: key(k) }), p, [p, p, p, p]);
    const one = run(1);
    const again = run(1);
    assert.deepEqual(one, again);
    assert.notDeepEqual(run(2)[0], one[0]);
    assert.notDeepEqual(one[0]!['a'], one[0]!['b']);
    assert.notDeepEqual(one[0]!['a'], one[1]!['a']);
    const std = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
    assert.ok(Math.abs(std(one[0]!['a']!) - 2) < 0.06, `std at t = 1: ${std(one[0]!['a']!)}`);
    assert.ok(Math.abs(std(one[3]!['a']!) - 1) < 0.03, `std at t = 4: ${std(one[3]!['a']!)}`);
  });
});

test('namedChain: the state is keyed by the members\' names', () => {
  tf.tidy(() => {
    const t = namedChain(['clip', adaptiveGradClip(1)], ['opt', sgd(0.1, { momentum: 0.9 })]);
    assert.deepEqual(Object.keys(t.init({ w: t1([1]) })), ['clip', 'opt']);
  });
});

test('bad arguments are refused with an error naming each bad parameter', () => {
  tf.tidy(() => checkRefusals());
});

function checkRefusals(): void {
  const t = sgd(0.1);
  assert.match(refused(() => lookahead(t, { syncPeriod: 0, slowStepSize: 2 })), /syncPeriod[\s\S]*slowStepSize/);
  assert.match(refused(() => ema(1)), /decay/);
  assert.match(refused(() => ema(0.9, { debias: 'yes' as never })), /debias/);
  assert.match(refused(() => skipLargeUpdates(t, { maxSquaredNorm: 0 })), /maxSquaredNorm/);
  assert.match(refused(() => skipLargeUpdates(3 as never, { maxSquaredNorm: 1 })), /inner must be a gradient transformation/);
  assert.match(refused(() => lookahead({ init: 1 } as never, { syncPeriod: 1, slowStepSize: 1 })), /fast must be a gradient transformation/);
  assert.match(refused(() => applyEvery(0)), /\bk\b/);
  assert.match(refused(() => adaptiveGradClip(-1, { eps: -1, axis: 0.5 })), /clipping[\s\S]*eps[\s\S]*axis/);
  assert.match(refused(() => centralize({ axis: 1.5 })), /axis/);
  assert.match(refused(() => addNoise({ eta: -1, gamma: NaN, key: [1, 2, 3] as never })), /eta[\s\S]*gamma[\s\S]*key/);
  assert.match(refused(() => partition({}, () => 'a')), /transforms/);
  assert.match(refused(() => partition({ a: 5 as never }, () => 'a')), /transforms\['a'\]/);
  assert.match(refused(() => partition({ a: t }, 7 as never)), /paramLabels/);
  assert.match(refused(() => partition({ a: t }, { w: 'a' }).init({ w: t1([1]), b: t1([1]) })), /no label for parameter 'b'/);
  assert.match(refused(() => partition({ a: t }, () => 'z').init({ w: t1([1]) })), /label 'z', which has no transform/);
  assert.match(refused(() => freeze(5 as never)), /mask/);
  assert.match(refused(() => namedChain(['a', t], ['a', t])), /'a' is used twice/);
  assert.match(refused(() => addDecayedWeights(0.1, { mask: 3 as never })), /mask/);
}

test('a state of combinators checkpoints: serialize at step 3, deserialize, resume to 6 = the uninterrupted run, bit for bit', async () => {
  const { serialize, deserialize } = await import('../src/checkpoint/index.js');
  const rule = (): AnyTransformation =>
    namedChain(
      ['nan', zeroNans()],
      ['agc', adaptiveGradClip(0.5)],
      [
        'part',
        partition(
          {
            kernels: lookahead(sgd(0.05, { momentum: 0.9, weightDecay: 0.01, mask: exceptBiasesAndNorms }), { syncPeriod: 2, slowStepSize: 0.5 }),
            rest: skipLargeUpdates(chain(ema(0.9), sgd(0.1), applyEvery(2)), { maxSquaredNorm: 1e6 }),
          },
          (_n, x) => (x.rank >= 2 ? 'kernels' : 'rest'),
        ),
      ],
      ['noise', addNoise({ eta: 1e-4, gamma: 0.55, key: key(3) })],
    );
  const opt = optimizer(cleanGrad, rule());
  const target = { k: tf.tensor2d([[1, -2, 3], [0.5, 0, -1]]), b: t1([2, -1, 0.5]) };
  const loss = (p: Tree) => tf.tidy(() => tf.addN(Object.keys(target).map((n) => tf.sum(tf.square(tf.sub(p[n]!, target[n as 'k' | 'b']))))) as tf.Scalar);
  const p0: Tree = { k: tf.zeros([2, 3]), b: tf.zeros([3]) };
  const go = (p: Tree, s: ReturnType<typeof opt.init>, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = step(opt, loss, p, {}, s);
      if (i > from) disposeReplaced([p, s], [r.params, r.state]);
      p = r.params;
      s = r.state;
    }
    return { p, s };
  };
  // Each run starts from its own init: a run disposes the state tensors it carries forward and then replaces.
  const full = go(p0, opt.init(p0, key(1)), 0, 6);
  const s0 = opt.init(p0, key(1));
  const half = go(p0, s0, 0, 3);
  const { manifest, weights } = serialize({ params: half.p, state: half.s, opt });
  const loaded = deserialize(JSON.parse(JSON.stringify(manifest)) as unknown, weights.slice(), { params: p0, opt });
  const resumed = go(loaded.params, loaded.state, 3, 6);
  for (const n of ['k', 'b']) assert.deepEqual(Array.from(resumed.p[n]!.dataSync()), Array.from(full.p[n]!.dataSync()), n);
  disposeTree([full, half, loaded, resumed, p0, s0, target]);
});
