// The counter-based generator: Philox-4×32-10 known answers, the float32 Box–Muller mapping, slices, engines, statistics.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { philox4x32, philoxBlocks } from '../src/philox.js';
import { normals, normalsEngine, normalWords, seedWords } from '../src/normal.js';
import { drawNormals } from '../src/perturbation/normals.js';
import { key, split } from '../src/random.js';
import { ready } from '../src/backend.js';

before(async () => {
  await ready();
});

const SEED = 20261201;
const hex = (ws: readonly number[]): string => ws.map((w) => w.toString(16).padStart(8, '0')).join(' ');
const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

test('philox4x32: Random123 known-answer vectors (kat_vectors, philox4x32 10 and 7 rounds)', () => {
  assert.equal(hex(philox4x32([0, 0, 0, 0], [0, 0])), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  const ones = 0xffffffff;
  assert.equal(hex(philox4x32([ones, ones, ones, ones], [ones, ones])), '408f276d 41c83b0e a20bc7c6 6d5451fd');
  const pi: [number, number, number, number] = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];
  assert.equal(hex(philox4x32(pi, [0xa4093822, 0x299f31d0])), 'd16cfe09 94fdcceb 5001e420 24126ea1');
  assert.equal(hex(philox4x32(pi, [0xa4093822, 0x299f31d0], 7)), '4dfccaba 190a87f0 c47362ba b6b5242a');
});

test('philoxBlocks: consecutive counters with a carry from the low word into the next', () => {
  const out = new Uint32Array(8);
  philoxBlocks(5, 6, 0xffffffff, 0, 7, 8, 2, out);
  assert.deepEqual([...out.subarray(0, 4)], philox4x32([0xffffffff, 0, 7, 8], [5, 6]));
  assert.deepEqual([...out.subarray(4)], philox4x32([0, 1, 7, 8], [5, 6]));
});

test('normals: the first two elements of key (0, 0) are Box–Muller of block 0’s words 0x6627e8d5, 0xe169c58d, by hand', () => {
  const a = 0x6627e8d5 >>> 8;
  const b = 0xe169c58d >>> 8;
  const r = Math.sqrt(-2 * Math.log((2 ** 24 - a) / 2 ** 24));
  const q = b >>> 22; // 3
  const theta = (q * Math.PI) / 2 + (((b & 0x3fffff) - 2 ** 21 + 0.5) * Math.PI) / 2 / 2 ** 22;
  const [z0, z1] = normals([0, 0], 2);
  assert.equal(q, 3);
  assert.ok(Math.abs((z0 as number) - r * Math.cos(theta)) < 1e-6, `${z0} vs ${r * Math.cos(theta)}`);
  assert.ok(Math.abs((z1 as number) - r * Math.sin(theta)) < 1e-6, `${z1} vs ${r * Math.sin(theta)}`);
  // Elements 2, 3 come from words 2, 3 of the same block; element 4 from block 1.
  const w1 = philox4x32([1, 0, 0, 0], [0, 0]);
  const b4 = (w1[1] as number) >>> 8;
  const r4 = Math.sqrt(-2 * Math.log((2 ** 24 - ((w1[0] as number) >>> 8)) / 2 ** 24));
  const t4 = ((b4 >>> 22) * Math.PI) / 2 + (((b4 & 0x3fffff) - 2 ** 21 + 0.5) * Math.PI) / 2 / 2 ** 22;
  assert.ok(Math.abs((normals([0, 0], 5)[4] as number) - r4 * Math.cos(t4)) < 1e-6);
});

test('normals: the WebAssembly SIMD kernel runs here and gives the JavaScript path’s bits exactly', () => {
  assert.equal(normalsEngine(), 'simd');
  for (const k of [[0, 0], [1, 2], [0xffffffff, 0x80000000], [0x9e3779b9, 7]] as const) {
    for (const [count, offset] of [[100_003, 0], [37, 5], [1000, 2 ** 34 - 500]] as const) {
      assert.ok(same(normalWords(k, count, offset, 'simd'), normalWords(k, count, offset, 'js')), `key ${k}, [${offset}, +${count})`);
    }
  }
});

test('normals: any slice [a, b) equals the same slice of the whole draw (fast-check)', () => {
  const whole = new Map<string, Float32Array>();
  const full = (k: readonly [number, number]): Float32Array => {
    const id = k.join(',');
    if (!whole.has(id)) whole.set(id, normals(k, 3000));
    return whole.get(id) as Float32Array;
  };
  fc.assert(
    fc.property(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 })), fc.nat({ max: 3000 }), fc.nat({ max: 3000 }), ([x, y], a, b) => {
      const k = [x * 0x12345677, y] as const;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return same(normals(k, hi - lo, lo), full(k).subarray(lo, hi));
    }),
    { numRuns: 300, seed: SEED },
  );
});

test('normals: deterministic, and distinct keys (split, the full 64-bit key) give distinct sequences', () => {
  const [k1, k2] = split(key(3));
  assert.ok(same(normals(k1 as never, 4096), normals(k1 as never, 4096)));
  assert.ok(!same(normals(k1 as never, 64), normals(k2 as never, 64)));
  // The high word alone changes the sequence.
  assert.ok(!same(normals([1, 0], 64), normals([0, 0], 64)));
  assert.deepEqual(seedWords(2 ** 40 + 5), [256, 5]);
});

/** Φ(x), the standard normal CDF, from erfc by its continued-fraction-free Chebyshev fit (Numerical Recipes erfcc, |error| < 1.2e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

test('normals: 1e6 draws match N(0, 1): mean, variance, skewness, kurtosis within 5 standard errors; KS distance < 1.95/√n', () => {
  const n = 1_000_000;
  const z = normals([0x2545f491, 0x4f6cdd1d], n);
  let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (const x of z) {
    m1 += x;
    m2 += x * x;
    m3 += x * x * x;
    m4 += x * x * x * x;
  }
  m1 /= n; m2 /= n; m3 /= n; m4 /= n;
  assert.ok(Math.abs(m1) < 5 / Math.sqrt(n), `mean ${m1}`);
  assert.ok(Math.abs(m2 - 1) < 5 * Math.sqrt(2 / n), `variance ${m2}`);
  assert.ok(Math.abs(m3) < 5 * Math.sqrt(15 / n), `third moment ${m3}`);
  assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${m4}`);
  const sorted = Float32Array.from(z).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const p = phi(sorted[i] as number);
    d = Math.max(d, Math.abs(p - i / n), Math.abs((i + 1) / n - p));
  }
  assert.ok(d < 1.95 / Math.sqrt(n), `KS distance ${d}`);
  assert.ok(z.every(Number.isFinite));
});

test('drawNormals(seed, shape): the tensor of normals(seedWords(seed), size), one new tensor', () => {
  const before = tf.memory().numTensors;
  const t = drawNormals(2 ** 52 + 12345, [3, 5, 7]);
  assert.equal(tf.memory().numTensors, before + 1);
  assert.deepEqual(t.shape, [3, 5, 7]);
  assert.ok(same(t.dataSync() as Float32Array, normals(seedWords(2 ** 52 + 12345), 105)));
  t.dispose();
});

test('normals: bad count, offset or seed is a RangeError naming it', () => {
  assert.throws(() => normals([0, 0], -1), /count must be a non-negative integer, got -1/);
  assert.throws(() => normals([0, 0], 3, 1.5), /offset must be a non-negative integer, got 1.5/);
  assert.throws(() => seedWords(-3), /seed must be a non-negative safe integer/);
});
