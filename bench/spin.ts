// RWP parallel with spin 20 (the default) and spin 0 against sequential RWP and SGD, interleaved, on the small CNN and
// the MLP: does polling help or hurt at the current load? `flock /work/bench.lock npx tsx bench/spin.ts`
import { cleanGrad, key, optimizer, ready, rwp, sgd } from '../src/index.js';
import { parallel } from '../src/interpret/parallel.js';
import { smallCnn, mlp } from '../src/models/index.js';
import { randomBatch } from './gradientRunner.js';
import { runner, timeInterleaved } from './parallelPath.js';
await ready();
for (const model of [smallCnn(), mlp()]) {
  const init = model.init(key(0));
  const batch = randomBatch(64, 7);
  const m = () => sgd(0.1, { momentum: 0.9 });
  const rs = [
    runner('sgd', optimizer(cleanGrad, m()), model, init, batch),
    runner('rwp seq', optimizer(rwp(), m()), model, init, batch),
    runner('rwp par spin 20', optimizer(rwp(), m()), model, init, batch, parallel({ model })),
    runner('rwp par spin 0', optimizer(rwp(), m()), model, init, batch, parallel({ model, spin: 0 })),
  ];
  const { ms, other } = await timeInterleaved(rs, 6, 10, 3);
  console.log(model.spec.kind, rs.map((r, i) => `${r.name} ${ms[i]!.toFixed(1)} (${(ms[i]! / ms[0]!).toFixed(2)})`).join('; '), `other ${other.toFixed(2)}`);
  for (const r of rs) await r.dispose();
}
