import type { NodeDefinition } from './walkTypes.js';
import type { ResolvedSource, SourceNode } from './node.js';
import { perturbations, sources } from './registries.js';
import './builtins.js';

/** sourceDef(node, where): the definition of a source node's kind (an UnknownKindError names what to import). */
export const sourceDef = (node: SourceNode, where: string) => sources.get(node.kind, where, (node as { module?: string }).module);

/** perturbationDef(node, where): the definition of a perturbation node's kind. */
export const perturbationDef = (node: SourceNode, where: string) => perturbations.get(node.kind, where, (node as { module?: string }).module);

/** nodeDef(node, where): a source's or a perturbation's definition, with which registry it came from. */
export function nodeDef(node: SourceNode, where: string): NodeDefinition {
  const s = sources.find(node.kind);
  if (s !== undefined) return { role: 'source', def: s };
  const p = perturbations.find(node.kind);
  if (p !== undefined) return { role: 'perturbation', def: p };
  return { role: 'source', def: sourceDef(node, where) };
}

/**
 * perturbationPath(def, path, field): where the perturbation in `field` of the source at `path` keeps its state: the
 * source's own path when it is the node's only perturbation and the node keeps no state (perturbedGrad: ARWP's F at `g`).
 */
export const perturbationPath = (def: { readonly stateful?: boolean; readonly perturbations?: readonly string[] }, path: string, field: string): string =>
  def.stateful !== true && (def.perturbations?.length ?? 0) === 1 ? path : `${path}.${field}`;

/** childSources(node): a source's child sources with their fields (resolved or not; a child only its resolved form has is left out before). */
export function childSources<T extends SourceNode>(node: T, where = 'walk'): Array<readonly [string, T]> {
  const rec = node as unknown as Record<string, T | undefined>;
  return (sourceDef(node, where).sources ?? []).flatMap((f) => (rec[f] === undefined ? [] : [[f, rec[f] as T] as const]));
}

/** resolvedChildren(node): a resolved source's children (for interpreters that walk it). */
export const resolvedChildren = (node: ResolvedSource): ResolvedSource[] => childSources(node).map(([, c]) => c);

/** statefulPaths(source): the paths of every node that keeps state across steps (ARWP's F, F-SAM's average, …). */
export function statefulPaths(source: SourceNode, path = 'g'): string[] {
  const def = sourceDef(source, 'statefulPaths');
  const out: string[] = def.stateful === true ? [path] : [];
  const rec = source as unknown as Record<string, SourceNode>;
  const perturbationPaths = (p: SourceNode, at: string): string[] => {
    const d = perturbationDef(p, 'statefulPaths');
    return [...(d.stateful === true ? [at] : []), ...(d.perturbations ?? []).flatMap((f) => perturbationPaths((p as unknown as Record<string, SourceNode>)[f] as SourceNode, `${at}.${f}`))];
  };
  for (const f of def.perturbations ?? []) if (rec[f] !== undefined) out.push(...perturbationPaths(rec[f] as SourceNode, perturbationPath(def, path, f)));
  for (const [f, c] of childSources(source)) out.push(...statefulPaths(c, `${path}.${f}`));
  return out;
}

/** isStateless(source): whether no node keeps state across steps (then equal branches on one batch give equal gradients). */
export const isStateless = (source: SourceNode): boolean => statefulPaths(source).length === 0;

/** modulesOf(node): the modules that define the kinds in a source (resolved or not): what a worker must import. */
export function modulesOf(node: SourceNode, out = new Set<string>()): Set<string> {
  const { def } = nodeDef(node, 'modulesOf');
  if (def.module !== undefined) out.add(def.module);
  const rec = node as unknown as Record<string, unknown>;
  for (const f of [...((def as { sources?: readonly string[] }).sources ?? []), ...(def.perturbations ?? [])]) if (rec[f] !== undefined) modulesOf(rec[f] as SourceNode, out);
  return out;
}
