// Checkpoints see hyperparameters (issue #13): a resume into another optimizer is reported by name; a learning-rate change is
// allowed with an explicit option, anything else refused.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { adam, CheckpointError, cleanGrad, cosineDecay, deserialize, disposeTree, key, optimizer, ready, rwp, serialize, sgd, type Tree } from '../src/index.js';

before(async () => {
  await ready();
});

const params = (): Tree => ({ 'dense/kernel': tf.ones([3, 2]), 'dense/bias': tf.zeros([2]) });

/** A checkpoint written by `opt` at step 0, as JSON text and bytes. */
function saved(opt: ReturnType<typeof optimizer>, p: Tree): { manifest: unknown; weights: Uint8Array } {
  const s = opt.init(p, key(1));
  const { manifest, weights } = serialize({ params: p, state: s, opt });
  disposeTree(s);
  return { manifest: JSON.parse(JSON.stringify(manifest)) as unknown, weights };
}

test('resume into sgd(0.2) from sgd(0.1): refused by default naming the learning rate, allowed with allowLearningRateChange and reported', () => {
  const p = params();
  const { manifest, weights } = saved(optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 })), p);
  const into = optimizer(cleanGrad, sgd(0.2, { momentum: 0.9 }));
  const before = tf.memory().numTensors;
  assert.throws(
    () => deserialize(manifest, weights, { params: p, opt: into }),
    (e: unknown) => e instanceof CheckpointError && /the learning rate differs from the checkpoint's: transform\.sgd\.learningRate: 0\.1 in the checkpoint, 0\.2 given; pass \{ allowLearningRateChange: true \}/.test(e.message),
  );
  assert.equal(tf.memory().numTensors, before, 'nothing made on failure');
  const loaded = deserialize(manifest, weights, { params: p, opt: into, allowLearningRateChange: true });
  assert.deepEqual(loaded.differences, ['transform.sgd.learningRate: 0.1 in the checkpoint, 0.2 given']);
  disposeTree([loaded.params, loaded.state]);
  // A schedule in place of the number is a learning-rate change too.
  const scheduled = deserialize(manifest, weights, { params: p, opt: optimizer(cleanGrad, sgd(cosineDecay(0.1, 100), { momentum: 0.9 })), allowLearningRateChange: true });
  assert.match(scheduled.differences[0] ?? '', /^transform\.sgd\.learningRate: 0\.1 in the checkpoint, \{"schedule":\{"args":\[0\.1,100,0\],"name":"cosineDecay"\}\} given$/);
  disposeTree([scheduled.params, scheduled.state]);
  // The same optimizer: no differences.
  const same = deserialize(manifest, weights, { params: p, opt: optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 })) });
  assert.deepEqual(same.differences, []);
  disposeTree([same.params, same.state, p]);
});

test('resume into adam from sgd is refused even with the option, naming the difference; so are another momentum and another source', () => {
  const p = params();
  const { manifest, weights } = saved(optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 })), p);
  const refused = (opt: ReturnType<typeof optimizer>, pattern: RegExp): void =>
    assert.throws(() => deserialize(manifest, weights, { params: p, opt, allowLearningRateChange: true }), (e: unknown) => e instanceof CheckpointError && pattern.test(e.message));
  refused(optimizer(cleanGrad, adam(0.1)), /the optimizer differs from the checkpoint's: transform: sgd\(…\) in the checkpoint, adam\(…\) given/);
  refused(optimizer(cleanGrad, sgd(0.2, { momentum: 0.8 })), /the optimizer differs from the checkpoint's: transform\.sgd\.options\.momentum: 0\.9 in the checkpoint, 0\.8 given; transform\.sgd\.learningRate: 0\.1 in the checkpoint, 0\.2 given/);
  refused(optimizer(rwp(), sgd(0.1, { momentum: 0.9 })), /the optimizer differs from the checkpoint's: source: ∇L\(w\) in the checkpoint, 0\.5·∇L\(w\) \+ 0\.5·∇L\(w\+ε\)/);
  disposeTree(p);
});
