import { foldName, type Key } from '../random.js';
import type { ResolvedPerturbation } from './resolved.js';

/** canonical(x): JSON with object keys sorted, so equal values print equally. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(x);
}

/**
 * noiseKey(stepKey, p) = foldName(stepKey, canonical JSON of p): the key a perturbation draws its noise from at a step.
 * Noise is a pure function of (key, step, perturbation) — not of where the perturbation sits in a source — so equal
 * perturbations draw equal noise: mix(a, a, λ) = a, mix(a, b, 0) = a and mix(a, b, 1) = b hold exactly. Leaf n's
 * noise is then N(0, 1) seeded by toSeed(foldName(noiseKey(stepKey, p), n)).
 */
export function noiseKey(stepKey: Key, p: ResolvedPerturbation): Key {
  return foldName(stepKey, canonical(p));
}
