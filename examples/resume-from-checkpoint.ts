// Stop a run, save it, load it into fresh tensors, resume — and get bit for bit the parameters of the run that never stopped.
// RWP is the demanding case: its noise comes from the random key and the step count, both saved in the checkpoint.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { load, save, describe, disposeTree, key, optimizer, ready, rwp, sgd, train, type Batch } from 'optimix';
import { loss, toyParams, toyTargets, toyTeacher } from './toy-problem.js';

const backend = await ready();
// The small two-layer regression net of toy-problem.ts (its `loss`, its teacher), shared with other examples; here each
// epoch draws its own batches (data is a function of the epoch).
const teacher = toyTeacher();
const epochData = (epoch: number): Batch[] =>
  Array.from({ length: 4 }, (_, i) => {
    const x = tf.randomNormal([32, 6], 0, 1, 'float32', 1 + 1000 * epoch + i); // seed 0 would mean "unseeded" to tfjs
    return { x, y: toyTargets(x, teacher) };
  });
const init = toyParams(2); // its kernels drawn with seeds 2 and 3 (the other examples use toyParams(), seeds 3 and 4)
const opt = optimizer(rwp({ σ: 0.05 }), sgd(0.05, { momentum: 0.9, weightDecay: 1e-4 }));
const EPOCHS = 6;
const STOP = 3;

// 1. The run that never stops.
const whole = await train(opt, loss, init, epochData, { epochs: EPOCHS, key: key(42) });

// 2. The run that stops after STOP epochs and is saved to disk…
const dir = await mkdtemp(join(tmpdir(), 'optimix-resume-'));
let ok = false;
try {
  const first = await train(opt, loss, init, epochData, { epochs: STOP, key: key(42) });
  await save(dir, { params: first.params, state: first.state, opt, meta: { epochsDone: STOP } });
  disposeTree([first.params, first.state]); // nothing of the first half survives in memory
  console.log(`${backend}: ${describe(opt.source)}`);
  console.log(`saved after ${STOP} epochs to ${dir}: ${(await readdir(dir)).join(', ')}`);

  // 3. …loaded (checked against the parameters and the optimizer) and resumed where it stopped.
  const ckpt = await load(dir, { params: init, opt });
  const done = (ckpt.meta as { epochsDone: number }).epochsDone;
  const rest = await train(opt, loss, ckpt.params, (e) => epochData(e + done), { epochs: EPOCHS - done, state: ckpt.state });

  // 4. Compare bit for bit.
  ok = Object.keys(whole.params).every((n) => {
    const a = (whole.params[n] as tf.Tensor).dataSync() as Float32Array;
    const b = (rest.params[n] as tf.Tensor).dataSync() as Float32Array;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  });
  console.log(`loss ${whole.losses[0]!.toFixed(4)} → ${whole.losses.at(-1)!.toFixed(4)} uninterrupted; resumed run ends at ${rest.losses.at(-1)!.toFixed(4)}`);
  console.log(`resumed parameters ${ok ? 'are bitwise identical to' : 'DIFFER from'} the uninterrupted run's (step ${rest.state.count} = ${whole.state.count})`);
  disposeTree([rest.params, rest.state, ckpt.params]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
disposeTree([whole.params, whole.state, init, teacher]);
if (!ok) process.exit(1);
