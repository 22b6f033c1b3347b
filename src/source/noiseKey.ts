import { foldName, type Key } from '../random.js';
import { canonical } from '../canonical.js';
import type { ResolvedPerturbation } from './resolved.js';

/**
 * noiseKey(stepKey, p) = foldName(stepKey, canonical JSON of p): the key a perturbation draws its noise from at a step.
 * Noise is a pure function of (key, step, perturbation) — not of where the perturbation sits in a source — so equal
 * perturbations draw equal noise: mix(a, a, λ) = a, mix(a, b, 0) = a and mix(a, b, 1) = b hold exactly. Leaf n's
 * noise is then N(0, 1) seeded by toSeed(foldName(noiseKey(stepKey, p), n)).
 */
export function noiseKey(stepKey: Key, p: ResolvedPerturbation): Key {
  return foldName(stepKey, canonical(p));
}
