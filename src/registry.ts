import { OptimixError } from './errors.js';

/** A kind that is not registered: the message names the module to import when it is known. */
export class UnknownKindError extends OptimixError {}

/** What a registry holds: definitions tagged by a kind, with the module that defines them (undefined: built into optimix). */
export interface Registered {
  /** The name the definition is registered and serialized under. */
  readonly kind: string;
  /** The URL of the module that defines it (`import.meta.url`), so another thread can import it; undefined for built-ins. */
  readonly module?: string | undefined;
}

/** A registry of definitions by kind: sources, perturbations (and, later, transforms) share this one mechanism. */
export interface Registry<T extends Registered> {
  /** What it holds, for messages, e.g. `'gradient source'`. */
  readonly what: string;
  /** define(def): register def under def.kind; the same kind again from the same module replaces it, from another throws. */
  readonly define: (def: T) => T;
  /** get(kind, where, module?): the definition, or an UnknownKindError naming the module that defines the kind. */
  readonly get: (kind: string, where: string, module?: string) => T;
  /** find(kind): the definition, or undefined. */
  readonly find: (kind: string) => T | undefined;
  /** kinds(): every registered kind. */
  readonly kinds: () => string[];
}

/** registry<T>(what): an empty registry of `what`s by kind (a name → definition map with clear errors). */
export function registry<T extends Registered>(what: string): Registry<T> {
  const defs = new Map<string, T>();
  return Object.freeze({
    what,
    define: (def: T): T => {
      if (typeof def?.kind !== 'string' || def.kind === '') throw new TypeError(`define ${what}: kind must be a non-empty string, got ${JSON.stringify(def?.kind)}`);
      const had = defs.get(def.kind);
      if (had !== undefined && had.module !== def.module) {
        throw new OptimixError(`define ${what} '${def.kind}': the kind is already defined by ${had.module ?? 'optimix'}; pick another kind`);
      }
      defs.set(def.kind, def);
      return def;
    },
    get: (kind: string, where: string, module?: string): T => {
      const def = defs.get(kind);
      if (def !== undefined) return def;
      const hint = module !== undefined ? `import ${module} (it defines it) first` : `import the module that defines it first (in a worker thread: give the definition \`module: import.meta.url\`)`;
      throw new UnknownKindError(`${where}: unknown ${what} kind '${String(kind)}'; ${hint}. Known kinds: ${[...defs.keys()].join(', ')}`);
    },
    find: (kind: string): T | undefined => defs.get(kind),
    kinds: () => [...defs.keys()],
  });
}
