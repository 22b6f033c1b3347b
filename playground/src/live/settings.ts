// The live view's settings: defaults that show the point in well under a minute (docs/results.md's recipe, scaled to
// 1,000 MNIST digits: 40 % of the training labels flipped, where SGD memorizes and the flat-minimum methods do not),
// their ranges, and reading them from the page's query string (e.g. `?epochs=2&methods=sgd,sam,rwp#live`).
import { METHODS, type Method } from './methods.ts';
import type { RunSettings } from './run.ts';
import { MIXES, type Mixes } from './workers.ts';

/** The networks the view trains. */
export const NETWORKS = ['mlp', 'cnn'] as const;
export type Network = (typeof NETWORKS)[number];

/** SAM's ρ by network: 0.2 on the MLP (docs/results.md's validated value); the small CNN collapses with it on this data (SAM's test accuracy 6–13 % from epoch 1 on, in 5-epoch runs with seed 0), so it takes the authors' default 0.05. */
export const RHO_DEFAULT: Readonly<Record<Network, number>> = { mlp: 0.2, cnn: 0.05 };

/** Everything a Train press uses. */
export interface LiveSettings extends RunSettings {
  /** Fraction of training labels flipped. */
  readonly noise: number;
  /** The network: an MLP 784 → hidden → 10, or the model zoo's small CNN (conv 3×3 with 8 then 16 channels, max-pool each, dense). */
  readonly model: Network;
  /** The MLP's hidden width. */
  readonly hidden: number;
  readonly methods: readonly Method[];
  /** Where the mixes' (RWP's, m-RWP's) two gradients run: this thread, a Web Worker and this thread, or each way once. */
  readonly mixes: Mixes;
}

/** Defaults: 30 epochs, lr 0.05, batch 64, seed 0, σ 0.05, ρ 0.2 (the values docs/results.md chose on validation at 40 % noise), 40 % noise, MLP 128, the mixes both ways. */
export const DEFAULTS: LiveSettings = Object.freeze({
  epochs: 30,
  lr: 0.05,
  batchSize: 64,
  seed: 0,
  sigma: 0.05,
  rho: 0.2,
  noise: 0.4,
  model: 'mlp',
  hidden: 128,
  methods: METHODS,
  mixes: 'both',
});

type NumberKey = Exclude<keyof LiveSettings, 'methods' | 'mixes' | 'model'>;

/** Each numeric setting's range and whether it must be an integer. */
export const RANGES: Readonly<Record<NumberKey, { readonly min: number; readonly max: number; readonly step: number; readonly integer: boolean }>> = {
  epochs: { min: 1, max: 200, step: 1, integer: true },
  lr: { min: 0.001, max: 1, step: 0.005, integer: false },
  batchSize: { min: 8, max: 500, step: 8, integer: true },
  seed: { min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
  sigma: { min: 0, max: 1, step: 0.005, integer: false },
  rho: { min: 0, max: 2, step: 0.01, integer: false },
  noise: { min: 0, max: 0.8, step: 0.1, integer: false },
  hidden: { min: 8, max: 1024, step: 8, integer: true },
};

/** checkNumber(name, value): the problem with a numeric setting, or undefined. */
export function checkNumber(name: NumberKey, v: number): string | undefined {
  const r = RANGES[name];
  if (!Number.isFinite(v) || v < r.min || v > r.max || (r.integer && !Number.isInteger(v))) {
    return `${name} must be ${r.integer ? 'an integer' : 'a number'} in [${r.min}, ${r.max}], got ${String(v)}`;
  }
  return undefined;
}

/** parseSettings(query): the settings a query string asks for (unset ones default), and every problem found (those keep their default). */
export function parseSettings(query: string): { readonly settings: LiveSettings; readonly problems: readonly string[] } {
  const params = new URLSearchParams(query);
  const out: Record<string, unknown> = { ...DEFAULTS };
  const problems: string[] = [];
  for (const [name, raw] of params) {
    if (name === 'methods') {
      const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
      const bad = list.filter((s) => !(METHODS as readonly string[]).includes(s));
      if (bad.length > 0 || list.length === 0) problems.push(`methods must list some of ${METHODS.join(', ')}, got '${raw}'`);
      else out.methods = METHODS.filter((m) => list.includes(m));
    } else if (name === 'model') {
      if ((NETWORKS as readonly string[]).includes(raw)) out.model = raw;
      else problems.push(`model must be one of ${NETWORKS.join(', ')}, got '${raw}'`);
    } else if (name === 'mixes') {
      if ((MIXES as readonly string[]).includes(raw)) out.mixes = raw;
      else problems.push(`mixes must be one of ${MIXES.join(', ')}, got '${raw}'`);
    } else if (name in RANGES) {
      const v = Number(raw);
      const problem = checkNumber(name as NumberKey, v);
      if (problem === undefined) out[name] = v;
      else problems.push(problem);
    } else {
      problems.push(`unknown setting '${name}' (known: ${[...Object.keys(RANGES), 'model', 'methods', 'mixes'].join(', ')})`);
    }
  }
  if (out.model !== DEFAULTS.model && !params.has('rho')) out.rho = RHO_DEFAULT[out.model as Network];
  return { settings: Object.freeze(out) as unknown as LiveSettings, problems };
}
