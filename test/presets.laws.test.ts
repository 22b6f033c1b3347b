// The mix laws for the seven presets since SAM: mix(cleanGrad, p, λ) is linear in λ; mix(p, p, λ) = p (stateless p).
import { before, test } from 'node:test';
import { cleanGrad, fsam, gsam, lookSam, mix, momentumSam, mSharpnessSam, ready, rsam, sampa, type GradientSource } from '../src/index.js';
import * as laws from '../src/laws/index.js';

before(async () => {
  await ready();
});

const presets: Array<[string, GradientSource]> = [
  ['sampa', sampa({ lr: 0.05 })],
  ['gsam', gsam()],
  ['rsam', rsam()],
  ['mSharpnessSam', mSharpnessSam({ microBatches: 2 })],
  ['lookSam', lookSam({ k: 2 })],
  ['momentumSam', momentumSam()],
  ['fsam', fsam()],
];

test('mix(cleanGrad, p, λ) is linear in λ for every new preset p', () => {
  for (const [name, p] of presets) laws.check(laws.mixIsLinear(cleanGrad, p, { name: `mix(cleanGrad, ${name}, λ) is linear in λ` }), { numRuns: 8, seed: 3 });
});

test('mix(p, p, λ) = p, bit for bit, for the stateless presets (gsam, rsam, mSharpnessSam)', () => {
  for (const [name, p] of presets.filter(([n]) => ['gsam', 'rsam', 'mSharpnessSam'].includes(n))) {
    laws.check(laws.sameGradient(mix(p, p, 0.3), p, { name: `mix(${name}, ${name}, 0.3) = ${name}` }), { numRuns: 8, seed: 3 });
  }
});
