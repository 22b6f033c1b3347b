// One step's noise (normals for every leaf) against one forward+backward pass, MLP and small CNN, batch 64, medians of 30
// in one process: what drawing ahead in the worker can save. `flock /work/bench.lock npx tsx bench/noiseShare.ts`
import * as tf from '@tensorflow/tfjs-core';
import { ready, key } from '../src/index.js';
import { drawNormals } from '../src/perturbation/normals.js';
import { modelFromSpec } from '../src/models/index.js';
import { valueAndGrad } from '../src/interpret/valueAndGrad.js';
import { randomBatch } from './gradientRunner.js';
await ready();
for (const kind of ['mlp', 'smallCnn'] as const) {
  const m = modelFromSpec({ kind, options: {} } as never);
  const p = m.init(key(0));
  const b = randomBatch(64, 1);
  const draw = () => { for (const [i, t] of Object.values(p).entries()) { const n = drawNormals(1000 + i, t.shape); n.dataSync(); n.dispose(); } };
  const grad = () => tf.tidy(() => { const r = valueAndGrad(m.loss, p, b); r.value.dataSync(); });
  for (let i = 0; i < 5; i++) { draw(); grad(); }
  const T = (f: () => void) => { const xs: number[] = []; for (let i = 0; i < 30; i++) { const t0 = performance.now(); f(); xs.push(performance.now() - t0); } xs.sort((a, b) => a - b); return xs[15]!; };
  const d = T(draw), g = T(grad);
  console.log(`${kind}: draw all leaves ${d.toFixed(2)} ms, forward+backward ${g.toFixed(2)} ms, ratio ${(d / g).toFixed(3)}`);
}
