import type { PerturbationDefinition, SourceDefinition } from './node.js';

/** A node's definition and the registry it came from. */
export type NodeDefinition = { readonly role: 'source'; readonly def: SourceDefinition } | { readonly role: 'perturbation'; readonly def: PerturbationDefinition };
