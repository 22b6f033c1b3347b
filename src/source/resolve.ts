import { valueAt, type Hyper } from '../schedule.js';
import { checkValue, rules, type Rule } from '../validate.js';
import type { ResolvedPerturbation, ResolvedSource } from './resolved.js';
import type { GradientSource, LeafMask, Perturbation } from './types.js';

/** Node paths: the root is `g`; a mix's branches are `<path>.a` and `<path>.b`. Keys and source state are keyed by path. */
export const ROOT_PATH = 'g';

const at = (where: string, name: string, h: Hyper, rule: Rule, step: number): number => checkValue(where, name, valueAt(h, step), rule, step);

/** selectNames(mask, params): the leaf names a mask selects (all when no mask), in the params' order. */
export function selectNames(mask: LeafMask | undefined, params: Readonly<Record<string, { readonly shape: readonly number[]; readonly rank: number }>>): string[] {
  const names = Object.keys(params);
  if (mask === undefined) return names;
  if (typeof mask === 'function') return names.filter((n) => mask(n, params[n] as { shape: number[]; rank: number }));
  const unknown = mask.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new RangeError(`perturbation mask names leaves the parameters do not have: ${unknown.join(', ')}`);
  return names.filter((n) => mask.includes(n));
}

function resolvePerturbation(p: Perturbation, step: number, params: Parameters<typeof selectNames>[1]): ResolvedPerturbation {
  switch (p.kind) {
    case 'filterNoise':
      return { kind: 'filterNoise', sigma: at('filterNoise', 'σ (sigma)', p.sigma, rules.nonNegative, step), axis: p.axis, names: selectNames(p.mask, params), draw: p.draw };
    case 'adaptiveFilterNoise':
      return {
        kind: 'adaptiveFilterNoise',
        sigma: at('adaptiveFilterNoise', 'σ (sigma)', p.sigma, rules.nonNegative, step),
        eta: at('adaptiveFilterNoise', 'η (eta)', p.eta, rules.nonNegative, step),
        beta: at('adaptiveFilterNoise', 'β (beta)', p.beta, rules.unitOpen, step),
        axis: p.axis,
        names: selectNames(p.mask, params),
        draw: p.draw,
      };
    case 'adversarial': {
      const names = selectNames(p.mask, params);
      const adaptiveNames = p.adaptive ? selectNames(p.adaptiveMask ?? ((_n, x) => x.rank >= 2), params).filter((n) => names.includes(n)) : [];
      return { kind: 'adversarial', rho: at('adversarial', 'ρ (rho)', p.rho, rules.nonNegative, step), adaptive: p.adaptive, eta: p.eta, names, adaptiveNames };
    }
  }
}

/** resolve(source, step, params): the source instantiated for one step — numbers for schedules, names for masks, a path on every node. */
export function resolve(source: GradientSource, step: number, params: Parameters<typeof selectNames>[1], path = ROOT_PATH): ResolvedSource {
  switch (source.kind) {
    case 'clean':
      return { kind: 'clean', path };
    case 'perturbed':
      return { kind: 'perturbed', path, perturbation: resolvePerturbation(source.perturbation, step, params) };
    case 'mix':
      return {
        kind: 'mix',
        path,
        a: resolve(source.a, step, params, `${path}.a`),
        b: resolve(source.b, step, params, `${path}.b`),
        lambda: at('mix', 'λ (lambda)', source.lambda, rules.unit, step),
        batch: source.batch,
      };
  }
}

/** statefulPaths(source): the paths of nodes that keep state across steps (ARWP's F), with their kinds. */
export function statefulPaths(source: GradientSource, path = ROOT_PATH): string[] {
  switch (source.kind) {
    case 'clean':
      return [];
    case 'perturbed':
      return source.perturbation.kind === 'adaptiveFilterNoise' ? [path] : [];
    case 'mix':
      return [...statefulPaths(source.a, `${path}.a`), ...statefulPaths(source.b, `${path}.b`)];
  }
}

/**
 * isStateless(source): whether the source keeps no state across steps. Noise is a pure function of the key and the
 * perturbation, so two equal stateless branches on the same batch give equal gradients (evaluated once).
 */
export function isStateless(source: GradientSource | ResolvedSource): boolean {
  switch (source.kind) {
    case 'clean':
      return true;
    case 'perturbed':
      return source.perturbation.kind !== 'adaptiveFilterNoise';
    case 'mix':
      return isStateless(source.a) && isStateless(source.b);
  }
}
