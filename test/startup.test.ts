// Fast start: tfjs-core's gradients come from one bundled file (src/tfjsGradients.generated.mjs) that is up to date
// with scripts/bundleGradients.mjs, takes its ops, engine and registry from '@tensorflow/tfjs-core' itself, and
// registers every gradient tfjs-core defines into the package's own registry.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { ready } from '../src/index.js';
// @ts-expect-error: a plain-JS build script without type declarations
import { bundleGradients, OUT } from '../scripts/bundleGradients.mjs';

const committed = readFileSync(OUT as string, 'utf8');

before(async () => {
  await ready();
});

test('src/tfjsGradients.generated.mjs is what scripts/bundleGradients.mjs makes now (run it after updating tfjs-core)', async () => {
  assert.ok(committed === (await (bundleGradients as () => Promise<string>)()), 'stale: run node scripts/bundleGradients.mjs');
});

test('the bundle carries no engine, registry, Tensor class or globals of its own: those come from @tensorflow/tfjs-core', () => {
  const bundledLine = committed.split('\n')[2] as string;
  for (const own of ['engine.js', 'kernel_registry.js', 'tensor.js', 'global_util.js', 'environment.js', 'base.js', 'index.js']) {
    assert.ok(!bundledLine.split(', ').some((f) => f.replace(/^\/\/ /, '') === own), `${own} is bundled`);
  }
  assert.match(committed, /from "@tensorflow\/tfjs-core"/);
  assert.doesNotMatch(committed, /from "@tensorflow\/tfjs-core\//);
});

test('every gradient the bundle defines is registered in the main tfjs-core instance, and works through it', () => {
  // kernelName: X, with X a kernel-name constant taken from tfjs-core (var X = __tf.Y, Y its name there).
  const idents = [...new Set([...committed.matchAll(/kernelName: (\w+)/g)].map((m) => m[1] as string))];
  const names = idents.map((id) => {
    const alias = new RegExp(`(?:const|var|let) ${id} = __tf\\d*\\.(\\w+);`).exec(committed);
    return (tf as unknown as Record<string, string>)[alias?.[1] ?? id];
  });
  assert.ok(names.length > 90, `only ${names.length} gradients found`);
  for (const [i, n] of names.entries()) assert.ok(typeof n === 'string' && tf.getGradient(n) !== undefined, `no gradient for ${idents[i]} (${n})`);
  // A conv net's gradient (Conv2D's uses the bundled conv2DBackpropFilter) through the main instance's tf.grad.
  const x = tf.ones([1, 4, 4, 1]);
  const g = tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')))(tf.ones([3, 3, 1, 1]));
  assert.deepEqual([...g.dataSync()], Array(9).fill(4));
  tf.dispose([x, g]);
});
