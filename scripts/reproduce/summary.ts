// The reproduction's results grouped for the report: per (setting, model, method) the runs over seeds, the chosen
// hyperparameters, the validation sweep, and the interleaved step costs.
import type { Hyperparameters, Method, StepTiming } from '../../demo/run.js';
import type { ModelName, SettingConfig } from './config.js';
import type { FlatnessRecord, RunRecord } from './runs.js';
import { mean, std, welchT } from './stats.js';

export interface Group {
  readonly setting: SettingConfig;
  readonly model: ModelName;
  readonly method: Method;
  readonly runs: readonly RunRecord[];
  /** Flatness of each run's final weights, in the order of runs. */
  readonly flatness: readonly FlatnessRecord[];
}

/** One point of the validation sweep. */
export interface SweepPoint {
  readonly setting: string;
  readonly model: ModelName;
  readonly method: 'rwp' | 'sam' | 'asam';
  readonly param: 'σ' | 'ρ';
  readonly value: number;
  readonly validationAccuracy: number;
  readonly chosen: boolean;
}

export interface Results {
  readonly groups: readonly Group[];
  readonly sweep: readonly SweepPoint[];
  /** The hyperparameters of each (setting, model): the base ones with the chosen σ and ρ. */
  readonly chosen: Readonly<Record<string, Hyperparameters>>;
  readonly timings: Partial<Record<ModelName, readonly StepTiming[]>>;
}

export const pairKey = (setting: string, model: ModelName): string => `${setting}/${model}`;

export const accs = (g: Group | undefined): number[] => (g?.runs ?? []).map((r) => 100 * r.testAccuracy);
export const secs = (g: Group | undefined): number[] => (g?.runs ?? []).map((r) => r.seconds);

export function groupOf(res: Results, setting: string, model: ModelName, method: Method): Group | undefined {
  return res.groups.find((g) => g.setting.id === setting && g.model === model && g.method === method);
}

/** stepCost(res, model, method): the interleaved median seconds per step (the parallel interpreter for the mixes). */
export function stepCost(res: Results, model: ModelName, method: Method): number | undefined {
  return res.timings[model]?.find((t) => t.name === method)?.median;
}

/** The comparison of one method with SGD and SAM in one (setting, model). */
export interface Comparison {
  readonly method: Method;
  readonly acc: { readonly mean: number; readonly std: number; readonly n: number };
  readonly vsSgd: { readonly delta: number; readonly t: number } | undefined;
  readonly vsSam: { readonly delta: number; readonly t: number } | undefined;
  /** Mean training wall time over the mean of SGD's / SAM's. */
  readonly timeVsSgd: number | undefined;
  readonly timeVsSam: number | undefined;
  /** Interleaved step cost over SGD's / SAM's. */
  readonly stepVsSgd: number | undefined;
  readonly stepVsSam: number | undefined;
}

export function compare(res: Results, setting: string, model: ModelName, method: Method): Comparison | undefined {
  const g = groupOf(res, setting, model, method);
  if (g === undefined) return undefined;
  const sgd = groupOf(res, setting, model, 'sgd');
  const sam = groupOf(res, setting, model, 'sam');
  const a = accs(g);
  const vs = (o: Group | undefined) => (o === undefined ? undefined : { delta: mean(a) - mean(accs(o)), t: welchT(a, accs(o)) });
  const tr = (o: Group | undefined) => (o === undefined ? undefined : mean(secs(g)) / mean(secs(o)));
  const sc = (o: Method) => {
    const x = stepCost(res, model, method);
    const y = stepCost(res, model, o);
    return x === undefined || y === undefined ? undefined : x / y;
  };
  return {
    method,
    acc: { mean: mean(a), std: std(a), n: a.length },
    vsSgd: vs(sgd),
    vsSam: vs(sam),
    timeVsSgd: tr(sgd),
    timeVsSam: tr(sam),
    stepVsSgd: sc('sgd'),
    stepVsSam: sc('sam'),
  };
}

/** The goal for RWP in one (setting, model): ≥ SGD + 1.0 pt with Welch t ≥ 2.8, ≥ SAM − 0.3 pt, time ≤ 0.6 × SAM's. */
export interface GoalCheck {
  readonly aboveSgd: boolean;
  readonly levelWithSam: boolean;
  /** By the runs' wall time, and by the interleaved step cost. */
  readonly fasterRuns: boolean;
  readonly fasterSteps: boolean;
  readonly enoughSeeds: boolean;
}

export function goalCheck(c: Comparison): GoalCheck {
  return {
    aboveSgd: c.vsSgd !== undefined && c.vsSgd.delta >= 1 && c.vsSgd.t >= 2.8,
    levelWithSam: c.vsSam !== undefined && c.vsSam.delta >= -0.3,
    fasterRuns: c.timeVsSam !== undefined && c.timeVsSam <= 0.6,
    fasterSteps: c.stepVsSam !== undefined && c.stepVsSam <= 0.6,
    enoughSeeds: c.acc.n >= 3,
  };
}
