import type { Cost, CostContext, NodeCost, PerturbationCost, SourceNode } from './node.js';
import { perturbationDef, sourceDef } from './walk.js';

/** perturbationCost(p): the gradients a perturbation takes itself before the perturbed one (SAM's ascent: 1, depth 1). */
export function perturbationCost(p: SourceNode): PerturbationCost {
  const def = perturbationDef(p, 'cost');
  return def.cost ? def.cost(p, perturbationCost) : { gradients: 0, depth: 0, clean: false };
}

/** nodeCost(source, batch = 'B'): the walk's cost of a source: clean gradients by batch label, other evaluations, depth. */
export function nodeCost(source: SourceNode, batch = 'B'): NodeCost {
  const def = sourceDef(source, 'cost');
  const c: CostContext = { batch, source: (child, b = batch) => nodeCost(child, b), perturbation: perturbationCost };
  return def.cost ? def.cost(source, c) : { clean: new Set([batch]), other: 0, depth: 1 };
}

/**
 * cost(source): gradient evaluations per step and sequential depth — SGD 1/1, RWP 2/1 (its two gradients are
 * independent), SAM 2/2 (the ascent comes first), ARWP 1/1. A clean gradient on one batch is counted once however many
 * branches use it (mix(cleanGrad, sam()) costs 2). Works on resolved sources too.
 */
export function cost(source: SourceNode): Cost {
  const c = nodeCost(source);
  return { gradients: c.clean.size + c.other, depth: c.depth };
}
