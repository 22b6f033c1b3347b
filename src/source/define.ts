import { HyperparameterError } from '../errors.js';
import { checkKeys } from '../validate.js';
import type { PerturbationDefinition, ResolvedPerturbation, ResolvedSource, SourceDefinition, SourceNode } from './node.js';
import { perturbations, sources } from './registries.js';

/** What `defineSource` / `definePerturbation` take beside the definition: `validate` lists the problems of a node's fields. */
export type Validate = (fields: Record<string, unknown>) => readonly string[];

/** A definition without `make` (built from `validate`): a user's one-file definition. */
export type SourceSpec<S extends SourceNode, R extends ResolvedSource> = Omit<SourceDefinition<S, R>, 'make'> & {
  /** validate(fields): the problems of a node's fields (none: valid); default none. Used by the `make` built when `make` is not given. */
  readonly validate?: Validate;
  /** make(fields): the node from its fields; default a frozen `{ kind, ...fields }` after `validate` (undefined fields dropped). */
  readonly make?: SourceDefinition<S, R>['make'];
};
/** A perturbation definition without `make` (built from `validate`): a user's one-file definition. */
export type PerturbationSpec<P extends SourceNode, R extends ResolvedPerturbation> = Omit<PerturbationDefinition<P, R>, 'make'> & {
  /** validate(fields): the problems of a node's fields (none: valid); default none. Used by the `make` built when `make` is not given. */
  readonly validate?: Validate;
  /** make(fields): the node from its fields; default a frozen `{ kind, ...fields }` after `validate` (undefined fields dropped). */
  readonly make?: PerturbationDefinition<P, R>['make'];
};

/** A constructor from fields to a frozen node, validated (a HyperparameterError lists every problem, naming the kind). */
const maker =
  <T>(kind: string, validate: Validate | undefined) =>
  (fields: Record<string, unknown>): T => {
    const problems = validate?.(fields) ?? [];
    if (problems.length > 0) throw new HyperparameterError(kind, problems);
    return Object.freeze({ kind, ...Object.fromEntries(Object.entries(fields).filter(([k, v]) => k !== 'kind' && v !== undefined)) }) as T;
  };

/**
 * defineSource({ kind, module: import.meta.url, validate?, describe, evaluate, cost?, stateful?, branches?, sources?, … }):
 * register a gradient-source kind; returns its constructor (fields → node). The node is then validated, printed by
 * `describe`, saved by `toJSON`/`fromJSON` (the JSON names `module` for kinds outside optimix), compared by `equals`,
 * costed by `cost`, and run by both interpreters (the parallel one's workers import `module`).
 */
export function defineSource<S extends SourceNode, R extends ResolvedSource>(spec: SourceSpec<S, R>): (fields: Omit<S, 'kind'>) => S {
  checkKeys('defineSource', spec, ['kind', 'module', 'validate', 'make', 'resolve', 'evaluate', 'describe', 'cost', 'stateful', 'branches', 'sources', 'perturbations'], 'the spec');
  const make = spec.make ?? maker<S>(spec.kind, spec.validate);
  sources.define({ ...spec, make } as SourceDefinition);
  return (fields) => make(fields as unknown as Record<string, unknown>);
}

/**
 * definePerturbation({ kind, module: import.meta.url, validate?, describe, sample, stateful?, update?, draws?, cost? }):
 * register a perturbation kind (how weights are displaced); returns its constructor (fields → node), to pass to
 * `perturbedGrad`. Its noise comes from `s.normal(name)`, keyed by (key, step, perturbation, leaf) like the built-ins'.
 */
export function definePerturbation<P extends SourceNode, R extends ResolvedPerturbation>(spec: PerturbationSpec<P, R>): (fields: Omit<P, 'kind'>) => P {
  checkKeys('definePerturbation', spec, ['kind', 'module', 'validate', 'make', 'resolve', 'describe', 'sample', 'stateful', 'update', 'draws', 'cost', 'perturbations'], 'the spec');
  const make = spec.make ?? maker<P>(spec.kind, spec.validate);
  perturbations.define({ ...spec, make } as PerturbationDefinition);
  return (fields) => make(fields as unknown as Record<string, unknown>);
}
