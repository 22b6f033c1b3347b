/**
 * Determinism and ownership. All randomness comes from a pure key, so the same key gives the same run bit for bit; a
 * step is a pure function, so you can step twice from one state; and a hand-written `step` loop that follows the
 * ownership rule keeps `tf.memory().numTensors` flat. Exits non-zero if a check fails.
 *
 *   npx tsx examples/keys-and-ownership.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/guide.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  disposeReplaced,
  disposeTree,
  fold,
  key,
  optimizer,
  ready,
  rwp,
  sgd,
  split,
  step,
  toSeed,
  train,
} from 'optimix';
import { checks, loss, sameBits, toyData, toyParams } from './toy-problem.js';

await ready();
const { failures, expect } = checks();

// The problem, shared with other examples (toy-problem.ts): a small two-layer regression net, its `loss`, and generated data.
const { teacher, x, y, batches } = toyData();
const init = toyParams();
const opt = optimizer(rwp({ σ: 0.05 }), sgd(0.05, { momentum: 0.9, weightDecay: 1e-4 }));

// ---------------------------------------------------------------------------------------------------------------------
console.log('1. Keys');
// #region keys
const root = key(42); // a key is an immutable pair of 32-bit words
const [forData, forInit] = split(root); // independent keys for independent uses
const atStep7 = fold(root, 7); // what step 7 of a run with key(42) draws its noise from
console.log(root, forData, forInit, atStep7, toSeed(atStep7)); // toSeed: the number tfjs's random ops take

const a = await train(opt, loss, init, batches, { epochs: 3, key: key(42) });
const b = await train(opt, loss, init, batches, { epochs: 3, key: key(42) });
const c = await train(opt, loss, init, batches, { epochs: 3, key: key(43) });
// #endregion keys
expect(sameBits(a.params, b.params), 'the same key gives the same run, bit for bit');
expect(!sameBits(a.params, c.params), 'another key draws other noise');
disposeTree([a, b, c].map((r) => [r.params, r.state]));

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n2. A step is a pure function');
// #region pure
const s0 = opt.init(init, key(0));
const once = step(opt, loss, init, batches[0]!, s0); // neither init nor s0 is changed or disposed…
const again = step(opt, loss, init, batches[0]!, s0); // …so the same step can be taken again, with the same result
console.log(`loss ${once.value.toFixed(4)} and ${again.value.toFixed(4)}`);
// #endregion pure
expect(sameBits(once.params, again.params) && once.value === again.value, 'stepping twice from one state gives the same params and loss');
disposeTree([once.params, once.state, again.params, again.state, s0]);

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n3. A step loop that owns what it makes');
const counts: number[] = [];
// #region loop
let params = init; // borrowed: the loop never disposes the tensors it was given
let state = opt.init(init, key(0));
for (let epoch = 0; epoch < 5; epoch++) {
  for (const batch of batches) {
    const r = step(opt, loss, params, batch, state);
    // The old trees are ours now that we hold new ones; dispose what the new ones do not share with them.
    if (params !== init) disposeReplaced(params, [r.params, r.state]);
    disposeReplaced(state, [r.state, r.params]);
    params = r.params;
    state = r.state;
    counts.push(tf.memory().numTensors); // recorded for the check below
  }
}
disposeTree([params, state]); // the final trees are ours too
// #endregion loop
console.log(`  tf.memory().numTensors after step 1: ${counts[0]}, after step ${counts.length}: ${counts.at(-1)}`);
expect(counts.every((n) => n === counts[0]), 'the tensor count is the same after every step');
expect(Object.values(init).every((t) => !t.isDisposed), 'the caller\'s params are never disposed');

disposeTree([init, batches, x, y, teacher]);
console.log(failures.length === 0 ? '\nkeys-and-ownership: ok' : `\nkeys-and-ownership: ${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
