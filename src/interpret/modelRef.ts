import type { LossFn } from '../model.js';

/**
 * Where a worker finds the loss: a module (URL or absolute path) and one of its exports — a loss function, an object
 * with a `loss` (a Model), or, when `args` is given, a factory called with `args` that returns either.
 */
export interface ModelRef {
  /** The module's URL (`file:…`, e.g. `new URL('./model.js', import.meta.url).href`) or absolute path. */
  readonly module: string;
  /** The export to use; default `'default'`. */
  readonly export?: string;
  /** When given, the export is a factory called with these (structured-clonable) arguments. */
  readonly args?: readonly unknown[];
}

/** loadLoss(ref): import the module and produce the loss it names (used in every worker). */
export async function loadLoss(ref: ModelRef): Promise<LossFn> {
  const url = ref.module.startsWith('file:') || ref.module.includes('://') ? ref.module : new URL(`file://${ref.module}`).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const name = ref.export ?? 'default';
  let value = mod[name];
  if (value === undefined) throw new Error(`model module ${ref.module} has no export '${name}'`);
  if (ref.args !== undefined) {
    if (typeof value !== 'function') throw new Error(`model module ${ref.module}: export '${name}' is not a function, but args were given`);
    value = (value as (...a: unknown[]) => unknown)(...ref.args);
  }
  if (typeof value === 'function') return value as LossFn;
  if (typeof value === 'object' && value !== null && typeof (value as { loss?: unknown }).loss === 'function') return (value as { loss: LossFn }).loss;
  throw new Error(`model module ${ref.module}: export '${name}' is neither a loss function nor a model with a loss`);
}
