// The docs' formulas against the code they name. Each method page (docs/methods/*.md) carries a worked example — one
// or two steps on a small quadratic, computed by hand — in a text block after a `<!-- check: ID -->` marker. This test
// reads every `name = … = (x, y)` line of those blocks and computes the same quantity with the library (the transforms,
// the perturbations' samplers, `gradientOf`, `step`), and requires the two to agree: exactly (to float32) for a number
// printed with fewer than 5 decimals, to its rounding for one printed with 5 or more.
// Every numbered line of a block must be one the test computes, and every quantity the test computes must be on the
// page. The noise of the RWP family is a standard-normal draw z that the library takes from the key; the pages fix z,
// and the test hands that z to the step through the evaluator's `normals` (the same path the parallel interpreter's
// drawn-ahead noise takes). The pages' "is exactly" compositions and `describe(…)` prints are checked too.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  adam,
  adamw,
  adaptiveFilterNoise,
  addDecayedWeights,
  adversarial,
  arwp,
  asam,
  cleanGrad,
  cosineIncrease,
  describe,
  disposeTree,
  equals,
  filterNoise,
  friendlyAdversarial,
  fsam,
  gradientOf,
  gsam,
  key,
  lookSam,
  mArwp,
  microBatches,
  mix,
  momentumAscent,
  momentumSam,
  mRwp,
  mSharpnessSam,
  nested,
  optimizer,
  orthogonalPart,
  perturbedGrad,
  ready,
  resolve,
  rmsprop,
  rsam,
  rwp,
  sam,
  sampa,
  scaleByAdam,
  scaleByRms,
  sgd,
  step,
  subtractOrthogonal,
  trace,
  type Batch,
  type GradientSource,
  type Optimizer,
  type OptimizerState,
  type ResolvedPerturbation,
  type Tree,
} from '../src/index.js';
import { splitBatchN } from '../src/batch.js';
import { evaluate } from '../src/interpret/evaluate.js';
import { valueAndGrad } from '../src/interpret/valueAndGrad.js';
import { finish, keepResult, prepare } from '../src/optimizer.js';
import { sampleAdaptiveFilterNoise, type ResolvedAdaptiveFilterNoise } from '../src/perturbation/adaptiveFilterNoise.js';
import { sampleAdversarial, type ResolvedAdversarial } from '../src/perturbation/adversarial.js';
import { filterStd, sampleFilterNoise } from '../src/perturbation/filterNoise.js';
import type { Normals } from '../src/perturbation/normals.js';
import type { SampleContext } from '../src/source/node.js';
import { perturbationDef } from '../src/source/walk.js';
import { globalNorm } from '../src/tree.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const methodsDir = join(root, 'docs', 'methods');

before(async () => {
  await ready({ backend: 'wasm' });
});

// ---------------------------------------------------------------------------------------------------------------------
// The pages' worked examples: a `<!-- check: ID -->` line, then a fenced text block of lines `name = … = value`.

interface Quantity {
  readonly values: number[];
  /** Decimals printed for each value: the page's rounding. */
  readonly decimals: number[];
}

/** worked(page, id): the quantities of the worked example `id` on docs/methods/<page>, by name. */
function worked(page: string, id: string): Map<string, Quantity> {
  const lines = readFileSync(join(methodsDir, page), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.trim() === `<!-- check: ${id} -->`);
  assert.ok(at >= 0, `docs/methods/${page} has a <!-- check: ${id} --> block`);
  assert.match(lines[at + 1] ?? '', /^```text\s*$/, `docs/methods/${page}: a text block follows <!-- check: ${id} -->`);
  const end = lines.findIndex((l, i) => i > at + 1 && /^```\s*$/.test(l));
  const out = new Map<string, Quantity>();
  for (const line of lines.slice(at + 2, end)) {
    const parts = line.split(' = ');
    if (parts.length < 2) continue;
    const tail = (parts.at(-1) ?? '').trim();
    const m = /^\(?(-?\d+(?:\.\d+)?(?:,\s*-?\d+(?:\.\d+)?)*)\)?$/.exec(tail);
    if (m === null) continue; // a formula line without a number
    const name = (parts[0] ?? '').trim();
    const texts = m[1]!.split(',').map((s) => s.trim());
    assert.ok(!out.has(name), `docs/methods/${page}#${id}: '${name}' appears twice`);
    out.set(name, { values: texts.map(Number), decimals: texts.map((s) => s.split('.')[1]?.length ?? 0) });
  }
  return out;
}

/** agree(page, id, library): the page's numbers are the library's, to the page's rounding; same set of names. */
function agree(page: string, id: string, library: Record<string, number[]>): void {
  const onPage = worked(page, id);
  assert.deepEqual([...onPage.keys()].sort(), Object.keys(library).sort(), `docs/methods/${page}#${id}: the quantities on the page are the ones the test computes`);
  for (const [name, q] of onPage) {
    const lib = library[name]!;
    assert.equal(q.values.length, lib.length, `${page}#${id}: ${name} has ${lib.length} values`);
    q.values.forEach((v, i) => {
      // A number with 5 or more decimals is rounded to them; one with fewer is exact. Plus float32's rounding.
      const tol = (q.decimals[i]! >= 5 ? 0.5 * 10 ** -q.decimals[i]! : 0) + 4e-6 * Math.max(1, Math.abs(v));
      assert.ok(Math.abs(lib[i]! - v) <= tol, `${page}#${id}: ${name}[${i}] is ${v} on the page, ${lib[i]} in the library`);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The problem every worked example uses: w a 2 × 1 kernel (one output filter), a = (1, 2),
// L(w; B) = mean over the rows y of B of ½·Σ_j a_j·(w_j − y_j)², so with B = { y: [(0, 0)] }: L = ½·(w₁² + 2·w₂²).

const A = [1, 2];
const loss = (p: Tree, b: Batch): tf.Scalar =>
  tf.tidy(() => {
    const d = tf.sub(tf.reshape(p.w as tf.Tensor, [1, 2]), b.y as tf.Tensor);
    return tf.mul(0.5, tf.mean(tf.sum(tf.mul(tf.tensor1d(A), tf.square(d)), 1)));
  });
const W = (w: readonly number[]): Tree => ({ w: tf.tensor2d([[w[0]!], [w[1]!]]) });
const zero = (): Batch => ({ y: tf.tensor2d([[0, 0]]) });
const flat = (t: tf.Tensor | Tree): number[] => Array.from((t instanceof tf.Tensor ? t : (t.w as tf.Tensor)).dataSync());
/** The standard normals z the page fixes, handed out in the order the step draws them. */
const fixedNormals = (zs: number[][]): Normals => {
  const queue = [...zs];
  return (_seed, shape) => tf.reshape(tf.tensor1d(queue.shift() ?? assert.fail('the step drew more normals than the page gives')), [...shape]);
};

/** One step as `step` takes it, but with the noise's standard normals given (the evaluator's `normals`). */
function stepWith(opt: Optimizer, params: Tree, batch: Batch, state: OptimizerState, normals: Normals) {
  const { resolved, stepKey } = prepare('test', opt, params, state);
  return keepResult(() => finish('test', opt, params, state, evaluate(resolved, params, batch, { loss, stepKey, state: state.source, normals })));
}

const noLeak = (f: () => void): void => {
  const before = tf.memory().numTensors;
  f();
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
};

// ---------------------------------------------------------------------------------------------------------------------

test('sgd.md: SGD with momentum 0.9 and coupled weight decay 0.1, two steps, as on the page', () => {
  noLeak(() => {
    const w0 = W([3, 4]);
    const b = zero();
    const opt = optimizer(cleanGrad, sgd(0.1, { momentum: 0.9, weightDecay: 0.1 }));
    const s0 = opt.init(w0);
    const r1 = step(opt, loss, w0, b, s0);
    const r2 = step(opt, loss, r1.params, b, r1.state);
    // The chain's members one at a time: addDecayedWeights(0.1) then trace(0.9).
    const decay = addDecayedWeights(0.1);
    const tr = trace({ decay: 0.9 });
    const g0 = gradientOf(cleanGrad, loss, w0, b).grads;
    const [d0] = decay.update(g0, decay.init(w0), w0);
    const trState0 = tr.init(w0);
    const [m1, trState1] = tr.update(d0, trState0, w0);
    const g1 = gradientOf(cleanGrad, loss, r1.params, b).grads;
    const [d1] = decay.update(g1, decay.init(w0), r1.params);
    const [m2, trState2] = tr.update(d1, trState1, r1.params);
    agree('sgd.md', 'sgd-momentum', {
      'g₀': flat(g0), 'd₀': flat(d0), 'm₁': flat(m1), 'w₁': flat(r1.params),
      'g₁': flat(g1), 'd₁': flat(d1), 'm₂': flat(m2), 'w₂': flat(r2.params),
    });
    disposeTree([w0, b, s0, r1, r2, g0, d0, trState0, m1, trState1, g1, d1, m2, trState2]);
  });
});

test('sgd.md: Adam, two steps, as on the page', () => {
  noLeak(() => {
    const w0 = W([3, 4]);
    const b = zero();
    const opt = optimizer(cleanGrad, adam(0.1));
    const s0 = opt.init(w0);
    const r1 = step(opt, loss, w0, b, s0);
    const r2 = step(opt, loss, r1.params, b, r1.state);
    const sa = scaleByAdam();
    const st0 = sa.init(w0);
    const g0 = gradientOf(cleanGrad, loss, w0, b).grads;
    const [u1, st1] = sa.update(g0, st0, w0);
    const g1 = gradientOf(cleanGrad, loss, r1.params, b).grads;
    const [u2, st2] = sa.update(g1, st1, r1.params);
    const hat = (t: Tree, c: number) => flat(t).map((x) => x / c);
    agree('sgd.md', 'adam', {
      'g₀': flat(g0), 'm₁': flat(st1.mu), 'v₁': flat(st1.nu), 'm̂₁': hat(st1.mu, 1 - 0.9), 'v̂₁': hat(st1.nu, 1 - 0.999), 'u₁': flat(u1), 'w₁': flat(r1.params),
      'g₁': flat(g1), 'm₂': flat(st2.mu), 'v₂': flat(st2.nu), 'm̂₂': hat(st2.mu, 1 - 0.9 ** 2), 'v̂₂': hat(st2.nu, 1 - 0.999 ** 2), 'u₂': flat(u2), 'w₂': flat(r2.params),
    });
    disposeTree([w0, b, s0, r1, r2, st0, g0, u1, st1, g1, u2, st2]);
  });
});

test('sgd.md: one AdamW step (weight decay 0.1, decoupled), as on the page', () => {
  noLeak(() => {
    const w0 = W([3, 4]);
    const b = zero();
    const opt = optimizer(cleanGrad, adamw(0.1, { weightDecay: 0.1 }));
    const s0 = opt.init(w0);
    const r1 = step(opt, loss, w0, b, s0);
    const g0 = gradientOf(cleanGrad, loss, w0, b).grads;
    const sa = scaleByAdam();
    const st0 = sa.init(w0);
    const [u1, st1] = sa.update(g0, st0, w0);
    const decay = addDecayedWeights(0.1);
    const ds0 = decay.init(w0);
    const [decayed, ds1] = decay.update(u1, ds0, w0);
    agree('sgd.md', 'adamw', { 'u₁': flat(u1), 'u₁ + 0.1·w₀': flat(decayed), 'w₁': flat(r1.params) });
    disposeTree([w0, b, s0, r1, g0, st0, u1, st1, ds0, decayed, ds1]);
  });
});

test('sgd.md: one RMSProp step, as on the page', () => {
  noLeak(() => {
    const w0 = W([3, 4]);
    const b = zero();
    const opt = optimizer(cleanGrad, rmsprop(0.1));
    const s0 = opt.init(w0);
    const r1 = step(opt, loss, w0, b, s0);
    const g0 = gradientOf(cleanGrad, loss, w0, b).grads;
    const rms = scaleByRms();
    const st0 = rms.init(w0);
    const [u1, st1] = rms.update(g0, st0, w0);
    agree('sgd.md', 'rmsprop', { 'g₀': flat(g0), 'ν₁': flat(st1.nu), 'u₁': flat(u1), 'w₁': flat(r1.params) });
    disposeTree([w0, b, s0, r1, g0, st0, u1, st1]);
  });
});

/** SAM and ASAM on the page: g, (T, T⊙g), the norm, ε from the library's sampler, g' = ∇L(w + ε), w₁ after sgd(0.1). */
function adversarialStep(source: GradientSource, eta: number | undefined): Record<string, number[]> {
  const w0 = W([4, 1.5]);
  const b = zero();
  const g = gradientOf(cleanGrad, loss, w0, b).grads;
  const used = resolve(source, 0, w0) as unknown as { kind: string; perturbation: ResolvedAdversarial };
  assert.ok(used.kind === 'perturbed' && used.perturbation.kind === 'adversarial');
  const eps = sampleAdversarial(w0, g, used.perturbation);
  const gp = gradientOf(source, loss, w0, b).grads;
  const opt = optimizer(source, sgd(0.1));
  const s0 = opt.init(w0);
  const r = step(opt, loss, w0, b, s0);
  const out: Record<string, number[]> = { g: flat(g), 'ε': flat(eps), "g'": flat(gp), 'w₁': flat(r.params) };
  if (eta === undefined) {
    out['‖g‖'] = flat(globalNorm(g));
  } else {
    const T = tf.add(tf.abs(w0.w as tf.Tensor), eta);
    const Tg = tf.mul(T, g.w as tf.Tensor);
    Object.assign(out, { T: flat(T), 'T⊙g': flat(Tg), '‖T⊙g‖': flat(globalNorm({ w: Tg })) });
    disposeTree([T, Tg]);
  }
  disposeTree([w0, b, g, eps, gp, s0, r]);
  return out;
}

test('sam.md: one SAM step (ρ = 0.05), as on the page', () => {
  tf.tidy(() => agree('sam.md', 'sam', adversarialStep(sam({ ρ: 0.05 }), undefined)));
});

test('asam.md: one ASAM step (ρ = 0.5, η = 0.01), as on the page', () => {
  tf.tidy(() => agree('asam.md', 'asam', adversarialStep(asam({ ρ: 0.5, η: 0.01 }), 0.01)));
});

/** RWP and m-RWP on the page: σ‖w‖, ε = z·σ‖w‖, the clean and perturbed gradients, their mix, w₁ after sgd(0.1). */
function rwpStep(source: GradientSource, batch: Batch, halves: readonly [Batch, Batch]): Record<string, number[]> {
  const z = [1, -2];
  const w0 = W([3, 4]);
  const std = filterStd(w0.w as tf.Tensor, 0.01, -1);
  const eps = sampleFilterNoise(w0, 0.01, -1, ['w'], key(0), fixedNormals([z]));
  const clean = valueAndGrad(loss, w0, halves[0]).grads;
  const noisy = valueAndGrad(loss, { w: tf.add(w0.w as tf.Tensor, eps.w as tf.Tensor) }, halves[1]).grads;
  const opt = optimizer(source, sgd(0.1));
  const s0 = opt.init(w0);
  const { resolved, stepKey } = prepare('test', opt, w0, s0);
  const ev = evaluate(resolved, w0, batch, { loss, stepKey, state: s0.source, normals: fixedNormals([z]) });
  const r = stepWith(opt, w0, batch, s0, fixedNormals([z]));
  return { z, 'σ·‖w‖': flat(std), 'ε': flat(eps), 'g_clean': flat(clean), 'g_noisy': flat(noisy), g: flat(ev.grads), 'w₁': flat(r.params) };
}

test('rwp.md: one RWP step (σ = 0.01, λ = 0.5) with the page\'s standard normals z, as on the page', () => {
  tf.tidy(() => {
    const b = zero();
    agree('rwp.md', 'rwp', rwpStep(rwp({ σ: 0.01, λ: 0.5 }), b, [b, b]));
  });
});

test('m-rwp.md: one m-RWP step (σ = 0.01, λ = 0.5) on a two-row batch, each gradient on its own row, as on the page', () => {
  tf.tidy(() => {
    const b = { y: tf.tensor2d([[0, 0], [2, 2]]) };
    agree('m-rwp.md', 'm-rwp', rwpStep(mRwp({ σ: 0.01, λ: 0.5 }), b, [{ y: tf.tensor2d([[0, 0]]) }, { y: tf.tensor2d([[2, 2]]) }]));
  });
});

test('arwp.md: two ARWP steps (σ = 0.01, inc = 15, T = 2, η = 1, β = 0.9) with the page\'s normals, as on the page', () => {
  tf.tidy(() => {
    const zs = [[1, -2], [-1, 0.5]];
    const source = arwp({ σ: 0.01, inc: 15, steps: 2, η: 1, β: 0.9 });
    const opt = optimizer(source, sgd(0.1));
    const b = zero();
    let params = W([3, 4]);
    let state = opt.init(params);
    const out: Record<string, number[]> = {};
    zs.forEach((z, t) => {
      const used = resolve(source, t, params) as unknown as { kind: string; perturbation: ResolvedAdaptiveFilterNoise };
      assert.ok(used.kind === 'perturbed' && used.perturbation.kind === 'adaptiveFilterNoise');
      const p = used.perturbation;
      const F = Object.values(state.source)[0]!;
      const eps = sampleAdaptiveFilterNoise(params, F, p, key(0), fixedNormals([z]));
      const std = tf.div(filterStd(params.w as tf.Tensor, p.sigma, -1), tf.sqrt(tf.add(tf.mul(tf.sum(F.w as tf.Tensor), p.eta), 1)));
      const r = stepWith(opt, params, b, state, fixedNormals([z]));
      const gp = valueAndGrad(loss, { w: tf.add(params.w as tf.Tensor, eps.w as tf.Tensor) }, b).grads;
      const n = ['₀', '₁'][t]!;
      const next = ['₁', '₂'][t]!;
      Object.assign(out, {
        [`σ${n}`]: [p.sigma], [`ΣF${n}`]: [tf.sum(F.w as tf.Tensor).dataSync()[0]!], [`z${n}`]: z, [`std${n}`]: flat(std), [`ε${n}`]: flat(eps),
        [`g${n}`]: flat(gp), [`F${next}`]: flat(Object.values(r.state.source)[0]!), [`w${next}`]: flat(r.params),
      });
      params = r.params;
      state = r.state;
    });
    agree('arwp.md', 'arwp', out);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The pages' "is exactly" compositions and `describe(…)` prints.

test('method pages: each preset is exactly the composition its page gives', () => {
  const T = 1000;
  const pairs: Array<readonly [string, GradientSource, GradientSource]> = [
    ['rwp.md', rwp({ σ: 0.01, λ: 0.5 }), mix(cleanGrad, perturbedGrad(filterNoise(0.01)), 0.5)],
    ['m-rwp.md', mRwp({ σ: 0.01, λ: 0.5 }), mix(cleanGrad, perturbedGrad(filterNoise(0.01)), 0.5, { batch: 'split' })],
    ['sam.md', sam({ ρ: 0.05 }), perturbedGrad(adversarial(0.05))],
    ['asam.md', asam({ ρ: 0.5, η: 0.01 }), perturbedGrad(adversarial(0.5, { adaptive: true, η: 0.01 }))],
    ['arwp.md', arwp({ σ: 0.01, inc: 15, steps: T, η: 1, β: 0.9 }), perturbedGrad(adaptiveFilterNoise({ σ: cosineIncrease(0.01, 15, T), η: 1, β: 0.9 }))],
    ['m-arwp.md', mArwp({ σ: 0.01, λ: 0.5, η: 1, β: 0.9 }), mix(cleanGrad, perturbedGrad(adaptiveFilterNoise({ σ: 0.01, η: 1, β: 0.9 })), 0.5, { batch: 'split' })],
    ['gsam.md', gsam({ ρ: 0.05, α: 0.2 }), subtractOrthogonal(sam({ ρ: 0.05 }), cleanGrad, 0.2)],
    ['rsam.md', rsam({ ρ: 0.05, σ: 0.01 }), perturbedGrad(nested(filterNoise(0.01), adversarial(0.05)))],
    ['m-sharpness-sam.md', mSharpnessSam({ ρ: 0.05, microBatches: 4 }), microBatches(sam({ ρ: 0.05 }), 4)],
    ['momentum-sam.md', momentumSam({ ρ: 0.3, μ: 0.9 }), perturbedGrad(momentumAscent(0.3, 0.9))],
    ['fsam.md', fsam({ ρ: 0.05, σ: 1, λ: 0.9 }), perturbedGrad(friendlyAdversarial(0.05, { sigma: 1, lambda: 0.9 }))],
  ];
  for (const [page, preset, composed] of pairs) assert.ok(equals(preset, composed), `${page}: the preset equals its composition`);
  // And the defaults the pages' tables give are the presets' defaults.
  assert.ok(equals(rwp(), rwp({ σ: 0.01, λ: 0.5 })));
  assert.ok(equals(sam(), sam({ ρ: 0.05 })));
  assert.ok(equals(asam(), asam({ ρ: 0.5, η: 0.01 })));
  assert.ok(equals(arwp({ steps: T }), arwp({ σ: 0.01, inc: 15, steps: T, η: 1, β: 0.9 })));
  assert.ok(equals(mArwp(), mArwp({ σ: 0.01, λ: 0.5, η: 1, β: 0.9 })));
  assert.ok(equals(sampa({ lr: 0.1 }), sampa({ ρ: 0.1, λ: 0.2, lr: 0.1 })));
  assert.ok(equals(gsam(), gsam({ ρ: 0.05, α: 0.2 })));
  assert.ok(equals(rsam(), rsam({ ρ: 0.05, σ: 0.01 })));
  assert.ok(equals(mSharpnessSam({ microBatches: 4 }), mSharpnessSam({ ρ: 0.05, microBatches: 4 })));
  assert.ok(equals(lookSam(), lookSam({ ρ: 0.1, α: 0.7, k: 5 })));
  assert.ok(equals(momentumSam(), momentumSam({ ρ: 0.3, μ: 0.9 })));
  assert.ok(equals(fsam(), fsam({ ρ: 0.05, σ: 1, λ: 0.9 })));
});

test('method pages: every "`describe(…)` prints `…`" is what describe prints', () => {
  const sources: Record<string, GradientSource> = {
    'rwp()': rwp(),
    'mRwp()': mRwp(),
    'sam()': sam(),
    'asam()': asam(),
    'arwp({ steps: 1000 })': arwp({ steps: 1000 }),
    'mArwp()': mArwp(),
    'sampa({ lr: 0.1 })': sampa({ lr: 0.1 }),
    'gsam()': gsam(),
    'rsam()': rsam(),
    'lookSam()': lookSam(),
    'momentumSam()': momentumSam(),
    'fsam()': fsam(),
  };
  let checked = 0;
  for (const page of readdirSync(methodsDir).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(methodsDir, page), 'utf8').replace(/\n/g, ' ');
    for (const m of text.matchAll(/`describe\(([^`]+)\)`\s+prints\s+`([^`]+)`/g)) {
      const source = sources[m[1]!];
      assert.ok(source !== undefined, `${page}: describe(${m[1]}) — add the expression to this test`);
      assert.equal(m[2], describe(source), `${page}: describe(${m[1]})`);
      checked++;
    }
  }
  assert.ok(checked >= 11, `found the describe claims (${checked})`);
});

// ---------------------------------------------------------------------------------------------------------------------
// Links: every relative link of the guide, sam-vs-rwp.md and the method pages names a file that exists, and every
// #anchor a heading of the page it points to (GitHub's slugs: lower case, punctuation dropped, spaces to hyphens).

const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchors = (file: string): Set<string> =>
  new Set(readFileSync(file, 'utf8').split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, '').replace(/`/g, ''))));

test('docs pages: every relative link resolves to a file, and every #anchor to a heading', () => {
  const pages = ['docs/guide.md', 'docs/sam-vs-rwp.md', ...readdirSync(methodsDir).filter((f) => f.endsWith('.md')).map((f) => `docs/methods/${f}`)];
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? join(root, page) : join(root, dirname(page), path);
      checked++;
      if (!existsSync(file)) broken.push(`${page}: ${target} (no such file)`);
      else if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor)) broken.push(`${page}: ${target} (no such heading)`);
    }
  }
  assert.ok(checked > 50, `links checked: ${checked}`);
  assert.deepEqual(broken, []);
});

test('m-arwp.md: two m-ARWP steps (σ = 0.01, λ = 0.5, η = 1, β = 0.9) on the two-row batch with the page\'s normals, as on the page', () => {
  tf.tidy(() => {
    const zs = [[1, -2], [-1, 0.5]];
    const source = mArwp({ σ: 0.01, λ: 0.5, η: 1, β: 0.9 });
    const opt = optimizer(source, sgd(0.1));
    const b = { y: tf.tensor2d([[0, 0], [2, 2]]) };
    const [b1, b2] = [{ y: tf.tensor2d([[0, 0]]) }, { y: tf.tensor2d([[2, 2]]) }];
    let params = W([3, 4]);
    let state = opt.init(params);
    const out: Record<string, number[]> = {};
    zs.forEach((z, t) => {
      // Source nodes are an open type (registered kinds): read the mix's noisy branch through its known shape.
      const used = resolve(source, t, params) as unknown as { kind: string; b: { kind: string; perturbation: ResolvedAdaptiveFilterNoise } };
      assert.ok(used.kind === 'mix' && used.b.kind === 'perturbed' && used.b.perturbation.kind === 'adaptiveFilterNoise');
      const p = used.b.perturbation;
      const F = Object.values(state.source)[0]!;
      const eps = sampleAdaptiveFilterNoise(params, F, p, key(0), fixedNormals([z]));
      const std = tf.div(filterStd(params.w as tf.Tensor, p.sigma, -1), tf.sqrt(tf.add(tf.mul(tf.sum(F.w as tf.Tensor), p.eta), 1)));
      const clean = valueAndGrad(loss, params, b1).grads;
      const noisy = valueAndGrad(loss, { w: tf.add(params.w as tf.Tensor, eps.w as tf.Tensor) }, b2).grads;
      const { resolved, stepKey } = prepare('test', opt, params, state);
      const ev = evaluate(resolved, params, b, { loss, stepKey, state: state.source, normals: fixedNormals([z]) });
      const r = stepWith(opt, params, b, state, fixedNormals([z]));
      const n = ['₀', '₁'][t]!;
      const next = ['₁', '₂'][t]!;
      Object.assign(out, {
        [`ΣF${n}`]: [tf.sum(F.w as tf.Tensor).dataSync()[0]!], [`z${n}`]: z, [`std${n}`]: flat(std), [`ε${n}`]: flat(eps),
        [`g_clean${n}`]: flat(clean), [`g_noisy${n}`]: flat(noisy), [`g${n}`]: flat(ev.grads),
        [`F${next}`]: flat(Object.values(r.state.source)[0]!), [`w${next}`]: flat(r.params),
      });
      params = r.params;
      state = r.state;
    });
    agree('m-arwp.md', 'm-arwp', out);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The presets since SAM (issue #16): their pages' worked examples, on the same quadratic.

/** The resolved perturbation of a perturbedGrad node, read through its known shape (source nodes are an open type). */
function perturbationOf(source: GradientSource, t: number, params: Tree): ResolvedPerturbation {
  const used = resolve(source, t, params) as unknown as { kind: string; perturbation: ResolvedPerturbation };
  assert.ok(used.kind === 'perturbed');
  return used.perturbation;
}

/** A perturbation's own sampler (its registered definition), at `params`, with its state and the gradient at params. */
function sampleOf(p: ResolvedPerturbation, params: Tree, state: Tree | undefined, gradient: () => Tree): Tree {
  const unused = (what: string) => () => assert.fail(`the ${p.kind} sampler used ${what}`);
  const s: SampleContext = { params, batch: zero(), key: key(0), normals: unused('normals'), normal: unused('normal'), gradient, state, sample: unused('sample') };
  return perturbationDef(p, 'test').sample(p, s);
}

/** One step of `opt` from (params, state): the source's evaluation (its gradient and new state) and the step's result. */
function evalAndStep(opt: Optimizer, params: Tree, batch: Batch, state: OptimizerState, normals?: () => Normals) {
  const { resolved, stepKey } = prepare('test', opt, params, state);
  const ev = evaluate(resolved, params, batch, { loss, stepKey, state: state.source, ...(normals === undefined ? {} : { normals: normals() }) });
  const r = normals === undefined ? step(opt, loss, params, batch, state) : stepWith(opt, params, batch, state, normals());
  return { ev, r };
}

const inner = (x: Tree, y: Tree): tf.Scalar => tf.sum(tf.mul(x.w as tf.Tensor, y.w as tf.Tensor));
const sole = (s: OptimizerState): Tree => {
  const trees = Object.values(s.source);
  assert.equal(trees.length, 1, 'one stateful node');
  return trees[0]!;
};

test('gsam.md: one GSAM step (ρ = 0.05, α = 0.2), as on the page', () => {
  tf.tidy(() => {
    const source = gsam({ ρ: 0.05, α: 0.2 });
    const w0 = W([4, 1.5]);
    const b = zero();
    const g = gradientOf(cleanGrad, loss, w0, b).grads;
    const used = resolve(source, 0, w0) as unknown as { kind: string; a: { kind: string; perturbation: ResolvedAdversarial } };
    assert.ok(used.kind === 'subtractOrthogonal' && used.a.kind === 'perturbed' && used.a.perturbation.kind === 'adversarial');
    const eps = sampleAdversarial(w0, g, used.a.perturbation);
    const gp = gradientOf(sam({ ρ: 0.05 }), loss, w0, b).grads;
    // orthogonalPart's coefficient, cos(g, g_p)·‖g‖/‖g_p‖, with its guards.
    const [ng, ngp] = [globalNorm(g), globalNorm(gp)];
    const c = tf.div(tf.mul(tf.div(inner(g, gp), tf.add(tf.mul(ng, ngp), 1e-12)), ng), tf.add(ngp, 1e-12));
    const perp = orthogonalPart(g, gp);
    const d = gradientOf(source, loss, w0, b).grads;
    const r = step(optimizer(source, sgd(0.1)), loss, w0, b, optimizer(source, sgd(0.1)).init(w0));
    agree('gsam.md', 'gsam', {
      g: flat(g), '‖g‖': flat(ng), 'ε': flat(eps), g_p: flat(gp), '⟨g, g_p⟩': flat(inner(g, gp)), '‖g_p‖²': flat(inner(gp, gp)),
      'c': flat(c), 'g⊥': flat(perp), d: flat(d), 'w₁': flat(r.params),
    });
  });
});

test('rsam.md: one RSAM step (ρ = 0.05, σ = 0.2) with the page\'s standard normals z, as on the page', () => {
  tf.tidy(() => {
    const z = [1, -2.5];
    const source = rsam({ ρ: 0.05, σ: 0.2 });
    const w0 = W([3, 4]);
    const b = zero();
    const p = perturbationOf(source, 0, w0) as unknown as { kind: string; first: { kind: string; sigma: number }; second: ResolvedAdversarial };
    assert.ok(p.kind === 'nested' && p.first.kind === 'filterNoise' && p.second.kind === 'adversarial');
    const std = filterStd(w0.w as tf.Tensor, p.first.sigma, -1);
    const delta = sampleFilterNoise(w0, p.first.sigma, -1, ['w'], key(0), fixedNormals([z]));
    const at = { w: tf.add(w0.w as tf.Tensor, delta.w as tf.Tensor) };
    const gd = valueAndGrad(loss, at, b).grads;
    const eps = sampleAdversarial(at, gd, p.second);
    const opt = optimizer(source, sgd(0.1));
    const { ev, r } = evalAndStep(opt, w0, b, opt.init(w0), () => fixedNormals([z]));
    agree('rsam.md', 'rsam', {
      z, 'σ·‖w‖': flat(std), 'δ': flat(delta), 'w + δ': flat(at), 'g_δ': flat(gd), '‖g_δ‖': flat(globalNorm(gd)), 'ε': flat(eps),
      g: flat(ev.grads), 'w₁': flat(r.params),
    });
  });
});

test('m-sharpness-sam.md: one m-sharpness SAM step (ρ = 0.05, two micro-batches of one row), as on the page', () => {
  tf.tidy(() => {
    const source = mSharpnessSam({ ρ: 0.05, microBatches: 2 });
    const w0 = W([4, 1.5]);
    const b = { y: tf.tensor2d([[0, 0], [1, 3.5]]) };
    const halves = splitBatchN(b, 2);
    assert.deepEqual(halves.map((h) => flat(h.y as tf.Tensor)), [[0, 0], [1, 3.5]]);
    const out: Record<string, number[]> = {};
    halves.forEach((bk, k) => {
      const n = ['B₁', 'B₂'][k]!;
      const g = gradientOf(cleanGrad, loss, w0, bk).grads;
      const eps = sampleAdversarial(w0, g, perturbationOf(sam({ ρ: 0.05 }), 0, w0) as ResolvedAdversarial);
      Object.assign(out, { [`g(${n})`]: flat(g), [`ε(${n})`]: flat(eps), [`g'(${n})`]: flat(gradientOf(sam({ ρ: 0.05 }), loss, w0, bk).grads) });
    });
    const opt = optimizer(source, sgd(0.1));
    const r = step(opt, loss, w0, b, opt.init(w0));
    agree('m-sharpness-sam.md', 'm-sharpness-sam', {
      ...out, g: flat(gradientOf(source, loss, w0, b).grads), 'w₁': flat(r.params), 'g(B)': flat(gradientOf(cleanGrad, loss, w0, b).grads),
    });
  });
});

test('looksam.md: two LookSAM steps (ρ = 0.5, α = 0.7, k = 2), a full one and one in between, as on the page', () => {
  tf.tidy(() => {
    const source = lookSam({ ρ: 0.5, α: 0.7, k: 2 });
    const opt = optimizer(source, sgd(0.1));
    const b = zero();
    const w0 = W([4, 1.5]);
    const s0 = opt.init(w0);
    const g0 = gradientOf(cleanGrad, loss, w0, b).grads;
    const first = evalAndStep(opt, w0, b, s0);
    const gs = first.ev.grads;
    const gv = sole(first.r.state);
    // orthogonalPart's coefficient, cos(g_s, g₀)·‖g_s‖/‖g₀‖ = ⟨g_s, g₀⟩/‖g₀‖², with its guards.
    const [ng0, ngs] = [globalNorm(g0), globalNorm(gs)];
    const c0 = tf.div(tf.mul(tf.div(inner(gs, g0), tf.add(tf.mul(ng0, ngs), 1e-12)), ngs), tf.add(ng0, 1e-12));
    const w1 = first.r.params;
    const g1 = gradientOf(cleanGrad, loss, w1, b).grads;
    const c1 = tf.div(tf.mul(globalNorm(g1), 0.7), tf.add(globalNorm(gv), 1e-12));
    const second = evalAndStep(opt, w1, b, first.r.state);
    assert.deepEqual(flat(sole(second.r.state)), flat(gv), 'g_v is kept between full steps');
    agree('looksam.md', 'looksam', {
      'g₀': flat(g0), 'g_s': flat(gs), '⟨g_s, g₀⟩/‖g₀‖²': flat(c0), 'g_v': flat(gv), 'w₁': flat(w1),
      'g₁': flat(g1), '‖g₁‖': flat(globalNorm(g1)), '‖g_v‖': flat(globalNorm(gv)), 'c₁': flat(c1), 'd₁': flat(second.ev.grads), 'w₂': flat(second.r.params),
    });
  });
});

test('momentum-sam.md: two MSAM steps (ρ = 0.3, μ = 0.9) under sgd(0.1, { momentum: 0.9 }), as on the page', () => {
  tf.tidy(() => {
    const source = momentumSam({ ρ: 0.3, μ: 0.9 });
    const opt = optimizer(source, sgd(0.1, { momentum: 0.9 }));
    const b = zero();
    let params = W([4, 1.5]);
    let state = opt.init(params);
    const out: Record<string, number[]> = {};
    [0, 1].forEach((t) => {
      const v = sole(state);
      const p = perturbationOf(source, t, params);
      assert.equal(p.kind, 'momentumAscent');
      const eps = sampleOf(p, params, v, () => assert.fail('MSAM takes no gradient of its own'));
      const { ev, r } = evalAndStep(opt, params, b, state);
      const [n, next] = [['₀', '₁'][t]!, ['₁', '₂'][t]!];
      Object.assign(out, {
        [`v${n}`]: flat(v), [`‖v${n}‖`]: flat(globalNorm(v)), [`ε${n}`]: flat(eps), [`w̃${n}`]: flat(tf.add(params.w as tf.Tensor, eps.w as tf.Tensor)),
        [`g${n}`]: flat(ev.grads), [`v${next}`]: flat(sole(r.state)), [`w${next}`]: flat(r.params),
      });
      if (t === 1) out['∇L(w₁)'] = flat(gradientOf(cleanGrad, loss, params, b).grads);
      // The source's v is the transform's momentum (the rule has no coupled weight decay): w − w_next = 0.1·v_next.
      const moved = flat(tf.div(tf.sub(params.w as tf.Tensor, r.params.w as tf.Tensor), 0.1));
      flat(sole(r.state)).forEach((x, i) => assert.ok(Math.abs(moved[i]! - x) <= 1e-5 * Math.max(1, Math.abs(x)), 'the transform keeps the same v'));
      [params, state] = [r.params, r.state];
    });
    agree('momentum-sam.md', 'momentum-sam', out);
  });
});

test('fsam.md: two F-SAM steps (ρ = 0.05, σ = 1, λ = 0.9), as on the page', () => {
  tf.tidy(() => {
    const source = fsam({ ρ: 0.05, σ: 1, λ: 0.9 });
    const opt = optimizer(source, sgd(0.1));
    const b = zero();
    let params = W([4, 1.5]);
    let state = opt.init(params);
    const out: Record<string, number[]> = {};
    [0, 1].forEach((t) => {
      const m = sole(state);
      const p = perturbationOf(source, t, params) as unknown as ResolvedPerturbation & { sigma: number; first: boolean };
      assert.equal(p.kind, 'friendlyAdversarial');
      const g = gradientOf(cleanGrad, loss, params, b).grads;
      const d = p.first ? g : { w: tf.sub(g.w as tf.Tensor, tf.mul(m.w as tf.Tensor, p.sigma)) };
      const eps = sampleOf(p, params, m, () => g);
      const { ev, r } = evalAndStep(opt, params, b, state);
      const [n, next] = [['₀', '₁'][t]!, ['₁', '₂'][t]!];
      Object.assign(out, {
        [`g${n}`]: flat(g), [`d${n}`]: flat(d), [`‖d${n}‖`]: flat(globalNorm(d)), [`ε${n}`]: flat(eps), [`m${next}`]: flat(sole(r.state)),
        [`g'${n}`]: flat(ev.grads), [`w${next}`]: flat(r.params),
      });
      [params, state] = [r.params, r.state];
    });
    agree('fsam.md', 'fsam', out);
  });
});

test('sampa.md: two SAMPa steps (ρ = 0.1, λ = 0.2, η = 0.1) under sgd(0.1), as on the page', () => {
  tf.tidy(() => {
    const source = sampa({ ρ: 0.1, λ: 0.2, lr: 0.1 });
    const opt = optimizer(source, sgd(0.1));
    const b = zero();
    const w0 = W([4, 1.5]);
    const s0 = opt.init(w0);
    assert.deepEqual(flat(sole(s0)), [0, 0], 'g_y = 0 at first');
    const first = evalAndStep(opt, w0, b, s0);
    const w1 = first.r.params;
    const gy = sole(first.r.state);
    // The two points of step 1, from g_y = ∇L(y₁).
    const x1 = { w: tf.add(w1.w as tf.Tensor, tf.mul(gy.w as tf.Tensor, tf.div(0.1, tf.add(globalNorm(gy), 1e-12)))) };
    const y2 = { w: tf.sub(w1.w as tf.Tensor, tf.mul(gy.w as tf.Tensor, 0.1)) };
    const second = evalAndStep(opt, w1, b, first.r.state);
    assert.deepEqual(flat(sole(second.r.state)), flat(valueAndGrad(loss, y2, b).grads), 'g_y ← ∇L(y₂)');
    agree('sampa.md', 'sampa', {
      'g₀': flat(first.ev.grads), '∇L(y₁)': flat(gy), 'w₁': flat(w1),
      '‖∇L(y₁)‖': flat(globalNorm(gy)), 'x̃₁': flat(x1), 'y₂': flat(y2), '∇L(x̃₁)': flat(valueAndGrad(loss, x1, b).grads), '∇L(y₂)': flat(sole(second.r.state)),
      'g₁': flat(second.ev.grads), 'w₂': flat(second.r.params),
    });
  });
});

test('method pages: every page has a worked example, and every worked example is checked above', () => {
  const tested = ['sgd.md#sgd-momentum', 'sgd.md#adam', 'sgd.md#adamw', 'sgd.md#rmsprop', 'sam.md#sam', 'asam.md#asam', 'rwp.md#rwp', 'm-rwp.md#m-rwp', 'arwp.md#arwp', 'm-arwp.md#m-arwp',
    'sampa.md#sampa', 'gsam.md#gsam', 'rsam.md#rsam', 'm-sharpness-sam.md#m-sharpness-sam', 'looksam.md#looksam', 'momentum-sam.md#momentum-sam', 'fsam.md#fsam'];
  const onPages: string[] = [];
  for (const page of readdirSync(methodsDir).filter((f) => f.endsWith('.md'))) {
    const ids = [...readFileSync(join(methodsDir, page), 'utf8').matchAll(/^<!-- check: (\S+) -->$/gm)].map((m) => `${page}#${m[1]}`);
    assert.ok(ids.length > 0, `docs/methods/${page} has a worked example`);
    onPages.push(...ids);
  }
  assert.deepEqual(onPages.sort(), [...tested].sort());
});
