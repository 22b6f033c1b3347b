// What `npm run reproduce` runs: the settings (data, label noise, budget), the models, the methods, the seeds, the
// validation sweep of σ and ρ, the flatness measures and the interleaved step timing.
import type { Hyperparameters, Method } from '../../demo/run.js';
import { DEFAULT_HYPERPARAMETERS, METHODS } from '../../demo/run.js';

export type ModelName = 'mlp' | 'cnn';
export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn'];

/** One experimental setting: a training set (size, symmetric label noise) and a budget. */
export interface SettingConfig {
  /** Short id used in file names and the JSON, e.g. 'noise40'. */
  readonly id: string;
  readonly trainSize: number;
  /** Fraction of training labels flipped to another class (0 = clean). */
  readonly labelNoise: number;
  /** SGD-equivalent epochs per model (every method makes the same number of updates): long enough that SGD overfits. */
  readonly epochs: Readonly<Record<ModelName, number>>;
  /** 'main': in the headline tables; 'side': a smaller experiment kept for what it teaches. */
  readonly role: 'main' | 'side';
  /** Sweep σ and ρ on the validation split for this setting. */
  readonly sweep: boolean;
  /** Models swept in this setting (default all); the others take the σ and ρ chosen for `hpFromModel`. */
  readonly sweepModels?: readonly ModelName[];
  readonly hpFromModel?: ModelName;
  /** Without a sweep: take the σ and ρ chosen in this setting (by id) for the same model; else the base values. */
  readonly hpFrom?: string;
  /** Methods of this setting per model (default: the config's methods); a model missing here is not run. */
  readonly methods?: Partial<Record<ModelName, readonly Method[]>>;
}

/** The validation sweep: each grid value trained with one seed, chosen by final validation accuracy. */
export interface SweepConfig {
  readonly seed: number;
  /** σ of RWP (the chosen σ is also m-RWP's and m-ARWP's). */
  readonly rwpSigma: readonly number[];
  readonly samRho: readonly number[];
  readonly asamRho: readonly number[];
}

export interface FlatnessConfig {
  /** Examples of the fixed training subset the measures use (the first n of the training set, noisy labels). */
  readonly subset: number;
  /** Radii of the expected perturbed loss (relative to each filter's norm). */
  readonly radii: readonly number[];
  readonly samples: number;
  /** SAM sharpness: radius and ascent steps. */
  readonly rho: number;
  readonly ascentSteps: number;
  /** Power iterations of the top Hessian eigenvalue. */
  readonly hessianIterations: number;
  /** Loss slices (lowest seed of each method): half-width and points per axis. */
  readonly sliceSpan: number;
  readonly slicePoints1D: number;
}

export interface ReproduceConfig {
  readonly dataset: 'fashion' | 'mnist';
  readonly testSize: number;
  /** Clean training-pool examples held out for choosing σ and ρ (never the test set). */
  readonly validationSize: number;
  /** The seed of the data split and of the label noise (the same for every run). */
  readonly dataSeed: number;
  readonly batchSize: number;
  /** Test evaluations per run (evenly spaced epochs, always including the last): the points of the curves. */
  readonly evalPoints: number;
  readonly models: readonly ModelName[];
  readonly mlpHidden: readonly number[];
  readonly cnnChannels: readonly number[];
  readonly settings: readonly SettingConfig[];
  /** Methods per model (a setting may narrow them). */
  readonly methods: Readonly<Record<ModelName, readonly Method[]>>;
  readonly seeds: readonly number[];
  /** One learning rate, momentum, weight decay and schedule for every method; σ/ρ defaults for unswept settings. */
  readonly hp: Hyperparameters;
  readonly sweep: SweepConfig;
  readonly flatness: FlatnessConfig;
  /** Interleaved step timing: rounds, and steps per method per round. */
  readonly timing: { readonly rounds: number; readonly steps: number };
}

const ALL: readonly Method[] = [...METHODS];

export const FULL: ReproduceConfig = Object.freeze({
  dataset: 'fashion',
  testSize: 5000,
  validationSize: 1000,
  dataSeed: 0,
  batchSize: 64,
  evalPoints: 4,
  models: ['mlp', 'cnn'],
  mlpHidden: [256],
  cnnChannels: [16, 32],
  settings: [
    { id: 'noise40', trainSize: 1000, labelNoise: 0.4, epochs: { mlp: 40, cnn: 30 }, role: 'main', sweep: true, sweepModels: ['mlp'], hpFromModel: 'mlp' },
    { id: 'noise20', trainSize: 1000, labelNoise: 0.2, epochs: { mlp: 40, cnn: 30 }, role: 'main', sweep: false, hpFrom: 'noise40' },
    { id: 'small', trainSize: 1000, labelNoise: 0, epochs: { mlp: 40, cnn: 40 }, role: 'main', sweep: false, hpFrom: 'noise40' },
    { id: 'clean', trainSize: 3200, labelNoise: 0, epochs: { mlp: 2, cnn: 2 }, role: 'side', sweep: false, methods: { cnn: ['sgd', 'sam', 'rwp'] } },
  ],
  methods: { mlp: ALL, cnn: ['sgd', 'sam', 'rwp', 'm-rwp'] },
  seeds: [0, 1, 2],
  hp: DEFAULT_HYPERPARAMETERS,
  sweep: { seed: 0, rwpSigma: [0.01, 0.02, 0.05], samRho: [0.05, 0.1, 0.2], asamRho: [0.5, 1] },
  flatness: { subset: 256, radii: [0.1, 0.25, 0.5], samples: 2, rho: 0.05, ascentSteps: 2, hessianIterations: 6, sliceSpan: 1, slicePoints1D: 15 },
  timing: { rounds: 5, steps: 10 },
}) as ReproduceConfig;

/** A smoke configuration (seconds, not minutes): tiny data, 2 epochs, one seed, a two-point sweep. */
export const QUICK: ReproduceConfig = Object.freeze({
  ...FULL,
  testSize: 200,
  validationSize: 100,
  batchSize: 32,
  evalPoints: 2,
  mlpHidden: [32],
  cnnChannels: [4, 8],
  settings: [
    { id: 'noise40', trainSize: 128, labelNoise: 0.4, epochs: { mlp: 2, cnn: 2 }, role: 'main', sweep: true },
    { id: 'clean', trainSize: 128, labelNoise: 0, epochs: { mlp: 1, cnn: 1 }, role: 'side', sweep: false, methods: { cnn: ['sgd', 'rwp'] } },
  ],
  methods: { mlp: ALL, cnn: ALL },
  seeds: [0, 1],
  sweep: { seed: 0, rwpSigma: [0.01, 0.05], samRho: [0.05, 0.1], asamRho: [0.5] },
  flatness: { subset: 32, radii: [0.1, 0.5], samples: 1, rho: 0.05, ascentSteps: 1, hessianIterations: 2, sliceSpan: 1, slicePoints1D: 5 },
  timing: { rounds: 1, steps: 1 },
}) as ReproduceConfig;

/** methodsOf(cfg, setting, model): the methods run for a model in a setting. */
export function methodsOf(cfg: ReproduceConfig, s: SettingConfig, model: ModelName): readonly Method[] {
  if (!cfg.models.includes(model)) return [];
  if (s.methods !== undefined) return s.methods[model] ?? [];
  return cfg.methods[model];
}

/** The hyperparameters a method's numbers depend on (its cache key holds only these). */
export function relevantHp(m: Method, hp: Hyperparameters): Partial<Hyperparameters> {
  const base = { lr: hp.lr, momentum: hp.momentum, weightDecay: hp.weightDecay };
  switch (m) {
    case 'sgd':
      return base;
    case 'sam':
      return { ...base, samRho: hp.samRho };
    case 'asam':
      return { ...base, asamRho: hp.asamRho, asamEta: hp.asamEta };
    case 'rwp':
      return { ...base, rwpSigma: hp.rwpSigma, rwpLambda: hp.rwpLambda };
    case 'm-rwp':
      return { ...base, mrwpSigma: hp.mrwpSigma, mrwpLambda: hp.mrwpLambda };
    case 'arwp':
      return { ...base, arwpSigma: hp.arwpSigma, arwpInc: hp.arwpInc, arwpEta: hp.arwpEta, arwpBeta: hp.arwpBeta };
    case 'm-arwp':
      return { ...base, marwpSigma: hp.marwpSigma, marwpLambda: hp.marwpLambda, marwpEta: hp.marwpEta, marwpBeta: hp.marwpBeta };
  }
}
