import { scheduleFromSpec, type Hyper, type ScheduleSpec } from '../schedule.js';
import { cleanGrad, mix, perturbedGrad } from './constructors.js';
import { adaptiveFilterNoise } from '../perturbation/adaptiveFilterNoise.js';
import { adversarial } from '../perturbation/adversarial.js';
import { filterNoise } from '../perturbation/filterNoise.js';
import type { GradientSource, LeafMask, Perturbation } from './types.js';

/** A JSON form of a hyperparameter: a number, or a schedule made by optimix's schedule constructors. */
export type HyperJSON =
  | number
  | {
      /** The schedule's constructor and arguments. */
      readonly schedule: ScheduleSpec;
    };

const hyperJSON = (h: Hyper, where: string): HyperJSON => {
  if (typeof h === 'number') return h;
  if (h.spec === undefined) throw new TypeError(`toJSON: ${where} is a custom function schedule; only schedules made by optimix (cosineDecay, cosineIncrease, …) can be serialized`);
  return { schedule: h.spec };
};
const hyperFrom = (h: HyperJSON): Hyper => (typeof h === 'number' ? h : scheduleFromSpec(h.schedule));
const maskJSON = (m: LeafMask | undefined, where: string): readonly string[] | undefined => {
  if (m === undefined || Array.isArray(m)) return m as readonly string[] | undefined;
  throw new TypeError(`toJSON: ${where} is a predicate; give the mask as a list of names to serialize it`);
};

/** toJSON(source): a JSON-safe form of a gradient source (schedules by spec, masks as name lists); throws on custom functions. */
export function toJSON(source: GradientSource): unknown {
  const p = (x: Perturbation): unknown => {
    const mask = maskJSON(x.mask, `${x.kind}.mask`);
    switch (x.kind) {
      case 'filterNoise':
        return { kind: x.kind, sigma: hyperJSON(x.sigma, 'σ'), axis: x.axis, draw: x.draw, mask };
      case 'adaptiveFilterNoise':
        return { kind: x.kind, sigma: hyperJSON(x.sigma, 'σ'), eta: hyperJSON(x.eta, 'η'), beta: hyperJSON(x.beta, 'β'), axis: x.axis, draw: x.draw, mask };
      case 'adversarial':
        return { kind: x.kind, rho: hyperJSON(x.rho, 'ρ'), adaptive: x.adaptive, eta: x.eta, adaptiveMask: maskJSON(x.adaptiveMask, 'adaptiveMask'), mask };
    }
  };
  switch (source.kind) {
    case 'clean':
      return { kind: 'clean' };
    case 'perturbed':
      return { kind: 'perturbed', perturbation: p(source.perturbation) };
    case 'mix':
      return { kind: 'mix', a: toJSON(source.a), b: toJSON(source.b), lambda: hyperJSON(source.lambda, 'λ'), batch: source.batch };
  }
}

/** fromJSON(json): the gradient source `toJSON` wrote, rebuilt through the validating constructors. */
export function fromJSON(json: unknown): GradientSource {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, checked by the constructors
  const j = json as any;
  const opt = <T>(k: string, v: T | undefined): Record<string, T> => (v === undefined || v === null ? {} : { [k]: v });
  switch (j?.['kind'] as string | undefined) {
    case 'clean':
      return cleanGrad;
    case 'mix':
      return mix(fromJSON(j['a']), fromJSON(j['b']), hyperFrom(j['lambda']), { batch: j['batch'] });
    case 'perturbed': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const x = j['perturbation'] as any;
      switch (x['kind'] as string) {
        case 'filterNoise':
          return perturbedGrad(filterNoise(hyperFrom(x['sigma']), { axis: x['axis'], draw: x['draw'] ?? 0, ...opt('mask', x['mask']) }));
        case 'adaptiveFilterNoise':
          return perturbedGrad(adaptiveFilterNoise({ sigma: hyperFrom(x['sigma']), eta: hyperFrom(x['eta']), beta: hyperFrom(x['beta']), axis: x['axis'], draw: x['draw'] ?? 0, ...opt('mask', x['mask']) }));
        case 'adversarial':
          return perturbedGrad(adversarial(hyperFrom(x['rho']), { adaptive: x['adaptive'], eta: x['eta'], ...opt('adaptiveMask', x['adaptiveMask']), ...opt('mask', x['mask']) }));
      }
    }
  }
  throw new TypeError(`fromJSON: not a serialized gradient source: ${JSON.stringify(json)}`);
}

/** equals(a, b): whether two sources compute the same thing (same structure, hyperparameters, masks; functions by identity). */
export function equals(a: GradientSource, b: GradientSource): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) {
    const x = ra[k];
    const y = rb[k];
    if (x === y) continue;
    if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null && 'kind' in x && 'kind' in y) {
      if (!equals(x as GradientSource, y as GradientSource)) return false;
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (typeof x === 'function' && typeof y === 'function' && (x as { spec?: unknown }).spec !== undefined) {
      if (JSON.stringify((x as { spec?: unknown }).spec) !== JSON.stringify((y as { spec?: unknown }).spec)) return false;
    } else return false;
  }
  return true;
}
