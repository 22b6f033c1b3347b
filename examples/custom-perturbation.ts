/**
 * A brand-new perturbation defined outside the library, in the region below (under 40 lines): multiplicative weight
 * noise, ε = σ·|w|⊙z with z ~ N(0, 1) elementwise. Once defined it gets what the built-ins get: validation with clear
 * errors, `describe`, JSON, `equals`, a cost, noise keyed like RWP's — and both interpreters run it, bit for bit
 * the same (the parallel interpreter's workers import this file, named by `module`, to learn the kind). Exits non-zero
 * if a check fails.
 *
 *   npx tsx examples/custom-perturbation.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { isMainThread } from 'node:worker_threads';
import { definePerturbation, type ResolvedPerturbation } from 'optimix';

// #region define
/** multiplicativeNoise({ sigma }): ε = σ·|w|⊙z, z ~ N(0, 1) elementwise: each weight jittered in proportion to its size. */
export interface MultiplicativeNoise {
  readonly kind: 'multiplicativeNoise';
  readonly sigma: number;
}
interface Resolved extends ResolvedPerturbation {
  readonly sigma: number;
  readonly names: readonly string[]; // the leaves it perturbs (all: no `mask` field)
}
export const multiplicativeNoise = definePerturbation<MultiplicativeNoise, Resolved>({
  kind: 'multiplicativeNoise',
  module: import.meta.url, // workers import this module to learn the kind
  validate: ({ sigma }) => (typeof sigma === 'number' && sigma >= 0 ? [] : [`σ (sigma) must be a number ≥ 0, got ${String(sigma)}`]),
  describe: (p, d) => `${d.eps} = ${d.num(p.sigma)}·|w|⊙z, z ~ N(0, 1)`,
  sample: (p, s) => Object.fromEntries(p.names.map((n) => [n, tf.mul(tf.mul(tf.abs(s.params[n] as tf.Tensor), p.sigma), s.normal(n))])),
  draws: (p) => p.names, // the leaves whose normals `sample` draws (so a worker can draw them ahead)
  cost: () => ({ gradients: 0, depth: 0, clean: false }), // no gradient of its own: ∇L(w + ε) is the only one
});
// #endregion define

if (isMainThread) await main(); // a worker imports this file for the definition only

async function main(): Promise<void> {
  const { cleanGrad, cost, describe, disposeTree, equals, fromJSON, key, mix, optimizer, parallel, perturbedGrad, ready, sgd, toJSON, train } = await import('../src/index.js');
  const { checks, loss, sameBits, toyData, toyParams } = await import('./toy-problem.js');
  await ready();
  const { failures, expect } = checks();
  const { teacher, x, y, batches } = toyData();
  const params = toyParams();

  // #region use
  // Two noise scales averaged: ½∇L(w+ε₁) + ½∇L(w+ε₂); both branches are noisy, so under `parallel` one runs in a worker.
  const source = mix(perturbedGrad(multiplicativeNoise({ sigma: 0.05 })), perturbedGrad(multiplicativeNoise({ sigma: 0.1 })), 0.5);
  console.log(describe(source, { cost: true }));
  const json = JSON.stringify(toJSON(source));
  console.log(json);
  // #endregion use
  expect(equals(fromJSON(JSON.parse(json)), source) && !equals(source, mix(cleanGrad, cleanGrad)), 'toJSON → fromJSON gives an equal source; equals tells it from another');
  expect(json.includes(import.meta.url), 'the JSON names the module that defines the kind');
  expect(cost(source).gradients === 2 && cost(source).depth === 1, 'cost: 2 gradients, depth 1 (independent branches)');
  const refused = (f: () => unknown, re: RegExp): boolean => {
    try {
      f();
      return false;
    } catch (e) {
      console.log(`  refused: ${(e as Error).message.split('\n').join(' ')}`);
      return re.test((e as Error).message);
    }
  };
  expect(refused(() => multiplicativeNoise({ sigma: -1 }), /multiplicativeNoise.*σ \(sigma\) must be a number ≥ 0, got -1/s), 'a bad σ is refused, naming the kind and the parameter');
  expect(refused(() => fromJSON({ kind: 'perturbed', perturbation: { kind: 'elsewhere', module: 'file:///lib/elsewhere.js' } }), /import file:\/\/\/lib\/elsewhere\.js/), 'an unknown kind names the module to import');

  // #region run
  const opt = optimizer(source, sgd(0.05, { momentum: 0.9 }));
  const workers = parallel({ workers: 1, model: { module: new URL('./toy-problem.ts', import.meta.url).href, export: 'loss' } });
  const here = await train(opt, loss, params, batches, { epochs: 2, key: key(7) });
  const there = await train(opt, loss, params, batches, { epochs: 2, key: key(7), interpreter: workers });
  await workers.close();
  console.log(`sequential: loss ${here.losses[0]!.toFixed(4)} → ${here.losses.at(-1)!.toFixed(4)}; parallel: ${there.losses.at(-1)!.toFixed(4)}`);
  // #endregion run
  expect(sameBits(here.params, there.params), 'sequential and parallel give the same parameters, bit for bit');
  expect(here.losses.at(-1)! < here.losses[0]!, 'the loss goes down');

  disposeTree([here.params, here.state, there.params, there.state, params, batches, x, y, teacher]);
  console.log(failures.length === 0 ? '\ncustom-perturbation: ok' : `\ncustom-perturbation: ${failures.length} check(s) failed`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}
