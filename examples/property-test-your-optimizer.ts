/**
 * Property-test your own optimizer with optimix/laws.
 *
 * We write a new update rule — Signum, the sign of a momentum (Bernstein et al. 2018) — in a dozen lines, then the same
 * rule written carelessly (it passes the algebraic laws, but leaks and makes NaN), and run the law kit on both. The script prints which laws each rule passes and exits 0 only
 * if the good rule passes every law AND the careless one is caught.
 *
 *   npx tsx examples/property-test-your-optimizer.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  chain,
  map,
  ready,
  scaleByLearningRate,
  transformation,
  zerosLike,
  zipWith,
  type AnyTransformation,
  type GradientTransformation,
  type Tree,
} from 'optimix';
import * as laws from 'optimix/laws';

// ---------------------------------------------------------------------------------------------
// 1. A rule in a dozen lines. `transformation` runs `update` inside tf.tidy; the state is plain data.

/** scaleBySignMomentum(β): m ← β·m + (1 − β)·g, output sign(m). */
function scaleBySignMomentum(beta = 0.9): GradientTransformation<{ readonly m: Tree }> {
  return transformation(
    (params) => ({ m: zerosLike(params) }),
    (g, { m }) => {
      const next = zipWith(m, g, (mi, gi) => tf.add(tf.mul(mi, beta), tf.mul(gi, 1 - beta)));
      return [map(next, (x) => tf.sign(x)), { m: next }];
    },
  );
}
/** Signum: w ← w − lr·sign(m). */
const signum = (lr: number): AnyTransformation => chain(scaleBySignMomentum(0.9), scaleByLearningRate(lr));

// ---------------------------------------------------------------------------------------------
// 2. The same rule written carelessly, in one piece: no tf.tidy (every intermediate tensor of every step stays
//    allocated), and sign(m) computed as m/|m| — which is NaN wherever m = 0, e.g. on a leaf whose gradient is zero.

function carelessSignum(lr: number, beta = 0.9): GradientTransformation<{ readonly m: Tree }> {
  return {
    init: (params) => ({ m: zerosLike(params) }),
    update: (g, { m }) => {
      const next = zipWith(m, g, (mi, gi) => tf.add(tf.mul(mi, beta), tf.mul(gi, 1 - beta)));
      return [map(next, (x) => tf.mul(tf.div(x, tf.abs(x)), -lr)), { m: next }];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 3. The laws, as a function of a rule factory `lr => transform`.

const lawsFor = (rule: (lr: number) => AnyTransformation): ReadonlyArray<readonly [string, laws.Law<[unknown]>]> => [
  ['chain(identity, t) = t = chain(t, identity)', laws.isMonoidUnit(rule(0.01))],
  ['same inputs ⇒ same updates, bit for bit', laws.deterministic(rule(0.01))],
  ['update leaves its inputs untouched', laws.inputsUntouched(rule(0.01))],
  ['no tensor leak over 20 steps', laws.noLeak(() => rule(0.01), 20)],
  ['finite gradients ⇒ finite updates', laws.preservesFinite(rule(0.01))],
  ['lr = 0 leaves params unchanged', laws.zeroLearningRateIsIdentity(rule)],
  ['descends on convex quadratics', laws.descendsOnQuadratic(rule, { learningRate: 0.01, steps: 10 })],
];

const backend = await ready();
const options = { numRuns: 25, seed: 2024 };
const started = performance.now();

const results = new Map<string, laws.LawReport[]>();
for (const [name, rule] of [
  ['signum', signum],
  ['carelessSignum', carelessSignum],
] as const) {
  results.set(
    name,
    lawsFor(rule).map(([, law]) => laws.verify(law, options)),
  );
}

// ---------------------------------------------------------------------------------------------
// 4. Report.

const good = results.get('signum')!;
const bad = results.get('carelessSignum')!;
const names = lawsFor(signum).map(([n]) => n);
const width = Math.max(...names.map((n) => n.length));
console.log(`optimix/laws on ${backend}: ${options.numRuns} random cases per law, seed ${options.seed}\n`);
console.log(`${'law'.padEnd(width)}  signum  carelessSignum`);
names.forEach((n, i) => console.log(`${n.padEnd(width)}  ${(good[i]!.ok ? 'pass' : 'FAIL').padEnd(6)}  ${bad[i]!.ok ? 'pass' : 'FAIL'}`));

console.log('\nWhy carelessSignum fails (the shrunk counterexample of each failing law):');
bad.forEach((r, i) => {
  if (!r.ok) console.log(`- ${names[i]}:\n    ${(r.failure ?? '').split('\n')[0]}`);
});
const firstCaught = bad.find((r) => !r.ok);
if (firstCaught) console.log(`\nThe full report of the first one:\n${firstCaught.message.split('\n').map((l) => `  ${l.length > 300 ? `${l.slice(0, 300)} …` : l}`).join('\n')}`);
for (const r of good.filter((x) => !x.ok)) console.log(`\nsignum unexpectedly fails:\n${r.message}`);

const ok = good.every((r) => r.ok) && bad.some((r) => !r.ok);
console.log(`\n${ok ? 'OK' : 'NOT OK'}: signum passes ${good.filter((r) => r.ok).length}/${good.length} laws; carelessSignum is caught by ${bad.filter((r) => !r.ok).length}/${bad.length}. (${((performance.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = ok ? 0 : 1;
