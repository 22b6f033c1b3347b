/**
 * Parity with optax 0.2.8 for the combinators and the weight-decay mask: the params after 10 and 50 steps of each case, from
 * test/fixtures/optax/combinators.json (made by scripts/optax-fixtures/combinators.py; no Python here), ≤ 1e-5 relative at
 * step 10 and ≤ 1e-4 at step 50 (relative to the leaf's largest |value|).
 * Run: node --import tsx --test test/parity.optax.combinators.test.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { ready } from '../src/backend.js';
import { disposeTree, type Tree } from '../src/tree.js';
import {
  adam,
  adamw,
  adaptiveGradClip,
  applyEvery,
  centralize,
  chain,
  clipByGlobalNorm,
  ema,
  exceptBiasesAndNorms,
  freeze,
  lookahead,
  namedChain,
  partition,
  scale,
  sgd,
  skipLargeUpdates,
  zeroNans,
  type AnyTransformation,
  type State,
} from '../src/transform/index.js';

interface Fixture {
  readonly versions: Record<string, string>;
  readonly problems: Record<string, Record<string, { readonly shape: number[]; readonly w0: number[]; readonly a: number[]; readonly c: number[] }>>;
  readonly cases: ReadonlyArray<{
    readonly name: string;
    /** Which of `problems`; default 'main'. */
    readonly problem?: string;
    readonly gradScale?: Record<string, number>;
    readonly nans?: ReadonlyArray<readonly [number, string, number]>;
    readonly at: Record<'10' | '50', Record<string, number[]>>;
  }>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/optax/combinators.json', import.meta.url), 'utf8')) as Fixture;

before(async () => {
  await ready();
});

const momentum = (): AnyTransformation => sgd(0.1, { momentum: 0.9 });

/** optimix's construction of each fixture case (the optax one is in the script, under the same name). */
const BUILD: Record<string, () => AnyTransformation> = {
  partition: () => partition({ a: adam(0.01), b: momentum() }, { w: 'a', v: 'b', b: 'b' }),
  freeze: () => chain(momentum(), freeze((n) => n === 'v')),
  namedChain: () => namedChain(['clip', clipByGlobalNorm(1)], ['sgd', momentum()]),
  lookahead: () => lookahead(momentum(), { syncPeriod: 5, slowStepSize: 0.5 }),
  lookaheadReset: () => lookahead(adam(0.05), { syncPeriod: 3, slowStepSize: 0.3, resetState: true }),
  ema: () => chain(ema(0.9), scale(-0.1)),
  emaNoDebias: () => chain(ema(0.8, { debias: false }), scale(-0.1)),
  zeroNans: () => chain(zeroNans(), momentum()),
  skipLargeUpdates: () => skipLargeUpdates(momentum(), { maxSquaredNorm: 400 }),
  applyEvery: () => chain(momentum(), applyEvery(3)),
  adaptiveGradClip: () => chain(adaptiveGradClip(0.05), sgd(0.1)),
  adaptiveGradClipShapes: () => chain(adaptiveGradClip(0.05), sgd(0.1)),
  centralize: () => chain(centralize(), momentum()),
  centralizeShapes: () => chain(centralize(), momentum()),
  adamwMask: () => adamw(0.01, { weightDecay: 0.1, mask: exceptBiasesAndNorms }),
  sgdMask: () => sgd(0.1, { momentum: 0.9, weightDecay: 0.1, mask: exceptBiasesAndNorms }),
};

const tensorOf = (values: number[], shape: number[]): tf.Tensor => tf.tensor(Float32Array.from(values), shape, 'float32');

/** Run t for 50 steps on the fixture's problem (g = scale·a ⊙ (w − c), NaNs injected), w ← w + u; the params after steps 10 and 50 as arrays. */
function run(t: AnyTransformation, c: Fixture['cases'][number]): Record<'10' | '50', Record<string, Float32Array>> {
  const problem = fixture.problems[c.problem ?? 'main']!;
  const leafNames = Object.keys(problem);
  const a = Object.fromEntries(leafNames.map((n) => [n, tensorOf(problem[n]!.a, problem[n]!.shape)]));
  const target = Object.fromEntries(leafNames.map((n) => [n, tensorOf(problem[n]!.c, problem[n]!.shape)]));
  let params: Tree = Object.fromEntries(leafNames.map((n) => [n, tensorOf(problem[n]!.w0, problem[n]!.shape)]));
  let state: State = t.init(params);
  const out = {} as Record<'10' | '50', Record<string, Float32Array>>;
  for (let step = 0; step < 50; step++) {
    const s = c.gradScale?.[String(step)] ?? 1;
    const grads: Record<string, tf.Tensor> = {};
    for (const n of leafNames) {
      let g = tf.tidy(() => tf.mul(tf.scalar(s, 'float32'), tf.mul(a[n]!, tf.sub(params[n]!, target[n]!))));
      for (const [at, leaf, idx] of c.nans ?? []) {
        if (at === step && leaf === n) {
          const v = g.dataSync().slice();
          v[idx] = NaN;
          g.dispose();
          g = tf.tensor(v, problem[n]!.shape, 'float32');
        }
      }
      grads[n] = g;
    }
    const [u, next] = t.update(grads, state, params);
    const moved = tf.tidy(() => Object.fromEntries(leafNames.map((n) => [n, tf.add(params[n]!, u[n]!)])));
    disposeTree(u);
    disposeTree(grads);
    disposeTree(params);
    const keep = new Set<tf.Tensor>();
    const collect = (x: unknown): void => {
      if (x instanceof tf.Tensor) keep.add(x);
      else if (x !== null && typeof x === 'object') Object.values(x as object).forEach(collect);
    };
    collect(next);
    const drop: tf.Tensor[] = [];
    const walk = (x: unknown): void => {
      if (x instanceof tf.Tensor) {
        if (!keep.has(x) && !x.isDisposed) drop.push(x);
      } else if (x !== null && typeof x === 'object') Object.values(x as object).forEach(walk);
    };
    walk(state);
    drop.forEach((x) => x.dispose());
    params = moved;
    state = next;
    if (step + 1 === 10 || step + 1 === 50) {
      out[String(step + 1) as '10' | '50'] = Object.fromEntries(leafNames.map((n) => [n, params[n]!.dataSync() as Float32Array]));
    }
  }
  disposeTree([params, state, a, target]);
  return out;
}

/** max over leaves of max_i |x_i − y_i| / max(max_i |y_i|, 1e-12). */
function relDiff(got: Record<string, Float32Array>, want: Record<string, number[]>): number {
  let worst = 0;
  for (const n of Object.keys(want)) {
    const y = want[n]!;
    const x = got[n]!;
    const scaleOf = Math.max(1e-12, ...y.map(Math.abs));
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / scaleOf);
  }
  return worst;
}

test('the fixture was made by optax 0.2.8 and holds every case this test builds', () => {
  assert.equal(fixture.versions['optax'], '0.2.8');
  assert.deepEqual(fixture.cases.map((c) => c.name).sort(), Object.keys(BUILD).sort());
});

for (const c of fixture.cases) {
  test(`optax parity (${fixture.versions['optax']}): ${c.name}: ≤ 1e-5 relative at step 10, ≤ 1e-4 at step 50`, () => {
    const before = tf.memory().numTensors;
    const got = run(BUILD[c.name]!(), c);
    const d10 = relDiff(got['10'], c.at['10']);
    const d50 = relDiff(got['50'], c.at['50']);
    if (process.env.PRINT_DIFFS) console.log(`DIFF ${c.name} ${d10.toExponential(2)} ${d50.toExponential(2)}`);
    assert.ok(d10 <= 1e-5, `${c.name}: relative difference ${d10} at step 10 > 1e-5`);
    assert.ok(d50 <= 1e-4, `${c.name}: relative difference ${d50} at step 50 > 1e-4`);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  });
}

test('partition with a label function equals partition with a tree of labels (same fixture case)', () => {
  const c = fixture.cases.find((x) => x.name === 'partition')!;
  const got = run(partition({ a: adam(0.01), b: momentum() }, (n) => (n === 'w' ? 'a' : 'b')), c);
  assert.ok(relDiff(got['50'], c.at['50']) <= 1e-4);
});
