import { registry } from '../registry.js';
import type { PerturbationDefinition, SourceDefinition } from './node.js';

/** Every gradient-source kind, built-in (clean, perturbed, mix, …) and user-defined, by name. */
export const sources = registry<SourceDefinition>('gradient source');

/** Every perturbation kind, built-in (filterNoise, adaptiveFilterNoise, adversarial, …) and user-defined, by name. */
export const perturbations = registry<PerturbationDefinition>('perturbation');

/** isNode(x): whether x is a tagged node object (a source or a perturbation, registered or not). */
export const isNode = (x: unknown): x is { readonly kind: string } => typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';

/** isSource(x): whether x is a node of a registered source kind. */
export const isSource = (x: unknown): boolean => isNode(x) && sources.find(x.kind) !== undefined;

/** isPerturbation(x): whether x is a node of a registered perturbation kind. */
export const isPerturbation = (x: unknown): boolean => isNode(x) && perturbations.find(x.kind) !== undefined;
