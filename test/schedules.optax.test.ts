/**
 * optax's schedules (polynomial, sgdr, cosineOnecycle, linearOnecycle, joinSchedules, warmupConstant, warmupExponentialDecay,
 * piecewiseInterpolate): values at steps 0…160 against optax 0.2.8 in float64 (test/fixtures/optax/schedules.json, made by
 * scripts/optax-fixtures/combinators.py), ≤ 1e-6 relative; hand-computed values; every bad argument refused by name.
 * Run: node --import tsx --test test/schedules.optax.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Schedule } from '../src/schedule.js';
import {
  cosineOnecycle,
  joinSchedules,
  linearOnecycle,
  piecewiseInterpolate,
  polynomial,
  sgdr,
  warmupConstant,
  warmupExponentialDecay,
} from '../src/scheduleOptax.js';
import { refused as problemsOf } from './helpers/refused.js';

interface Case {
  readonly name: string;
  readonly options: Record<string, unknown>;
  readonly steps: number[];
  readonly values: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/optax/schedules.json', import.meta.url), 'utf8')) as {
  readonly versions: Record<string, string>;
  readonly cases: Case[];
};

/** Build optimix's schedule from a fixture case (joinSchedules' members are [name, options] pairs). */
function build(name: string, o: Record<string, unknown>): Schedule {
  const make: Record<string, (o: never) => Schedule> = { polynomial, sgdr, cosineOnecycle, linearOnecycle, warmupConstant, warmupExponentialDecay, piecewiseInterpolate };
  if (name === 'joinSchedules') {
    const members = (o['schedules'] as [string, Record<string, unknown>][]).map(([n, a]) => build(n, a));
    return joinSchedules({ schedules: members, boundaries: o['boundaries'] as number[] });
  }
  const f = make[name];
  if (f === undefined) throw new Error(`no schedule ${name}`);
  return f(o as never);
}

test('the schedule fixture was made by optax 0.2.8 in float64 and covers all eight schedules', () => {
  assert.equal(fixture.versions['optax'], '0.2.8');
  assert.deepEqual(
    [...new Set(fixture.cases.map((c) => c.name))].sort(),
    ['cosineOnecycle', 'joinSchedules', 'linearOnecycle', 'piecewiseInterpolate', 'polynomial', 'sgdr', 'warmupConstant', 'warmupExponentialDecay'],
  );
});

fixture.cases.forEach((c, k) => {
  test(`optax parity: ${c.name} #${k} (${JSON.stringify(c.options).slice(0, 90)}): ≤ 1e-6 relative at steps 0…${c.steps.at(-1)}`, () => {
    const s = build(c.name, c.options);
    const scale = Math.max(...c.values.map(Math.abs), 1e-300);
    c.steps.forEach((t, i) => {
      const want = c.values[i]!;
      const got = s(t);
      // Relative to the value, with a floor of 1e-12 of the schedule's largest value (for values that are exactly 0 in optax).
      const err = Math.abs(got - want) / Math.max(Math.abs(want), 1e-12 * scale);
      assert.ok(err <= 1e-6, `${c.name} at step ${t}: got ${got}, optax ${want} (relative ${err})`);
    });
  });
});

/** |x − y| ≤ 1e-15·max(1, |y|): hand values in decimal, computed in binary. */
const near = (x: number, y: number): void => assert.ok(Math.abs(x - y) <= 1e-15 * Math.max(1, Math.abs(y)), `${x} is not ${y}`);

test('hand-computed values', () => {
  // (1 − 0.01)·(1 − 5/10)² + 0.01 = 0.2575
  near(polynomial({ initValue: 1, endValue: 0.01, power: 2, transitionSteps: 10 })(5), 0.2575);
  near(polynomial({ initValue: 1, endValue: 0.01, power: 2, transitionSteps: 10, transitionBegin: 3 })(2), 1);
  near(warmupConstant({ initValue: 0, peakValue: 0.1, warmupSteps: 4 })(1), 0.025);
  near(warmupConstant({ initValue: 0, peakValue: 0.1, warmupSteps: 4 })(100), 0.1);
  // 1·0.5^(6/3) = 0.25, 2 steps after the warmup of 4
  near(warmupExponentialDecay({ initValue: 0, peakValue: 1, warmupSteps: 4, transitionSteps: 3, decayRate: 0.5 })(10), 0.25);
  const j = joinSchedules({ schedules: [warmupConstant({ initValue: 1, peakValue: 1, warmupSteps: 0 }), polynomial({ initValue: 2, endValue: 0, power: 1, transitionSteps: 4 })], boundaries: [3] });
  [1, 1, 2, 1, 0].forEach((v, i) => near(j([0, 2, 3, 5, 9][i]!), v));
  // linear knots 0 → 10 (×2): 1 → 2; halfway 1.5; then constant 2
  const p = piecewiseInterpolate({ interpolateType: 'linear', initValue: 1, boundariesAndScales: { 10: 2 } });
  [1, 1.5, 2, 2].forEach((v, i) => near(p([0, 5, 10, 50][i]!), v));
  // cosine onecycle: starts at peak/25, peaks at ⌊0.3·100⌋ = 30
  const c = cosineOnecycle({ transitionSteps: 100, peakValue: 1 });
  near(c(0), 0.04);
  near(c(30), 1);
  assert.ok(Math.abs(c(100) - 0.04 / 1e4) < 1e-18);
  const l = linearOnecycle({ transitionSteps: 100, peakValue: 1 });
  [0.04, 1, 0.04].forEach((v, i) => near(l([0, 30, 85][i]!), v));
  // sgdr: two cycles of 10 without warmup: restarts at 10
  const r = sgdr({ cycles: [{ initValue: 1, peakValue: 1, warmupSteps: 0, decaySteps: 10 }, { initValue: 1, peakValue: 1, warmupSteps: 0, decaySteps: 10 }] });
  near(r(0), 1);
  near(r(5), 0.5);
  near(r(10), 1);
  assert.ok(Math.abs(r(15) - 0.5) < 1e-15);
});

test('bad arguments are refused, each problem naming its argument', () => {
  const m1 = problemsOf(() => polynomial({ initValue: NaN, endValue: 0, power: 1, transitionSteps: 0, transitionBegin: -1 }));
  for (const name of ['initValue', 'transitionSteps', 'transitionBegin']) assert.match(m1, new RegExp(name));
  assert.match(problemsOf(() => joinSchedules({ schedules: [polynomial({ initValue: 1, endValue: 0, power: 1, transitionSteps: 2 })], boundaries: [3] })), /boundaries must have/);
  assert.match(problemsOf(() => joinSchedules({ schedules: [], boundaries: [] })), /schedules/);
  assert.match(problemsOf(() => warmupConstant({ initValue: 0, peakValue: Infinity, warmupSteps: 1.5 })), /peakValue[\s\S]*warmupSteps/);
  const m2 = problemsOf(() => warmupExponentialDecay({ initValue: 0, peakValue: 1, warmupSteps: 2, transitionSteps: 0, decayRate: -1, staircase: 1 as never }));
  for (const name of ['transitionSteps', 'decayRate', 'staircase']) assert.match(m2, new RegExp(name));
  assert.match(problemsOf(() => sgdr({ cycles: [{ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 10 }] })), /cycles\[0\]\.decaySteps must be > warmupSteps/);
  assert.match(problemsOf(() => sgdr({ cycles: [] })), /cycles/);
  assert.match(problemsOf(() => cosineOnecycle({ transitionSteps: 0, peakValue: 1, pctStart: 2 })), /transitionSteps[\s\S]*pctStart/);
  assert.match(problemsOf(() => linearOnecycle({ transitionSteps: 10, peakValue: 1, pctFinal: -0.1, divFactor: 0 })), /pctFinal[\s\S]*divFactor/);
  assert.match(problemsOf(() => piecewiseInterpolate({ interpolateType: 'cubic' as never, initValue: 1, boundariesAndScales: { 3: -1 } })), /interpolateType[\s\S]*boundariesAndScales\[3\]/);
});

test('every optax schedule carries a spec: rebuilt from its JSON it gives the same values; a source using one round-trips through toJSON/fromJSON', async () => {
  const { scheduleFromSpec } = await import('../src/schedule.js');
  const { toJSON, fromJSON } = await import('../src/source/serialize.js');
  const { perturbedGrad } = await import('../src/source/constructors.js');
  const { filterNoise } = await import('../src/perturbation/filterNoise.js');
  fixture.cases.forEach((c, k) => {
    const s = build(c.name, c.options);
    assert.ok(s.spec !== undefined, `${c.name} #${k} has no spec`);
    const again = scheduleFromSpec(JSON.parse(JSON.stringify(s.spec)) as never);
    c.steps.forEach((t) => assert.equal(again(t), s(t), `${c.name} #${k} rebuilt differs at step ${t}`));
  });
  const sigma = joinSchedules({ schedules: [warmupConstant({ initValue: 0, peakValue: 0.01, warmupSteps: 10 }), cosineOnecycle({ transitionSteps: 50, peakValue: 0.02 })], boundaries: [10] });
  const source = perturbedGrad(filterNoise(sigma));
  const back = fromJSON(JSON.parse(JSON.stringify(toJSON(source))));
  assert.deepEqual(toJSON(back), toJSON(source));
  // A member without a spec (a plain function) leaves the join without one.
  assert.equal(joinSchedules({ schedules: [(t: number) => t, sigma], boundaries: [5] }).spec, undefined);
});
