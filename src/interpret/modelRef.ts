import { cwd, isAbsolute, pathToFileURL, resolvePath } from '#host/paths';
import { OptimixError } from '../errors.js';
import { checkKeys } from '../validate.js';
import type { LossFn } from '../model.js';
import type { ModelSpec } from '../models/spec.js';

/**
 * Where a worker finds the loss: a module and one of its exports — a loss function, an object with a `loss` (a Model),
 * or, when `args` is given, a factory called with `args` that returns either.
 */
export interface ModuleRef {
  /** The module: a `URL` (`new URL('./model.ts', import.meta.url)`), a `file:` URL string, an absolute path, or a path relative to the working directory. */
  readonly module: string | URL;
  /** The export to use; default `'default'`. */
  readonly export?: string;
  /** When given, the export is a factory called with these (structured-clonable) arguments. */
  readonly args?: readonly unknown[];
}

/** A model-zoo model by its spec (`mlp(…).spec`): the worker rebuilds it with `modelFromSpec`. */
export interface ZooRef {
  /** The model's spec (e.g. `mlp(…).spec`, `smallCnn(…).spec`), from which the worker rebuilds the model and its loss. */
  readonly zoo: ModelSpec;
}

/** Everything a worker can rebuild a loss from (plain data: it is posted to the worker). A tfjs-layers model is a ModuleRef made by `fromModel`. */
export type ModelRef = ModuleRef | ZooRef;

/** A bad or missing model reference for the parallel interpreter. */
export class ModelRefError extends OptimixError {}

const TAG = Symbol.for('optimix.modelRef');

/** tagLoss(loss, ref): the same function, marked with where a worker finds it (what `lossFrom` and `fromModel` return). */
export function tagLoss<F extends LossFn>(loss: F, ref: ModelRef): F {
  Object.defineProperty(loss, TAG, { value: ref, enumerable: false });
  return loss;
}

/** The three ways, for error messages. */
export const THREE_WAYS =
  "give the workers a loss they can rebuild: (1) a model-zoo model (mlp, smallCnn, resnetSmall from 'optimix/models': pass the model, not model.loss), (2) a tfjs-layers model through fromModel(model), or (3) your own loss module through await lossFrom('./model.ts') (or { module: new URL('./model.ts', import.meta.url), export: 'loss' })";

/** moduleUrl(m): a `file:` URL for a URL, URL string, absolute path, or path relative to the working directory. */
export function moduleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (typeof m !== 'string' || m === '') throw new ModelRefError(`model.module must be a URL or a path, got ${String(m)}`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) return m; // a URL (not a Windows drive path)
  return pathToFileURL(isAbsolute(m) ? m : resolvePath(cwd(), m)).href;
}

/**
 * toModelRef(x, where): the worker reference of a loss or model — a ModelRef; a zoo model (its `spec`); a `fromModel`
 * adapter or a `lossFrom` loss (their tag). A plain closure cannot cross to a thread: that throws, naming the three ways.
 */
export function toModelRef(x: unknown, where: string): ModelRef {
  if (x === null || x === undefined) throw new ModelRefError(`${where}: no model given; ${THREE_WAYS}`);
  const tagged = (x as { [TAG]?: ModelRef })[TAG] ?? (x as { loss?: { [TAG]?: ModelRef } }).loss?.[TAG];
  if (tagged !== undefined) return tagged;
  const o = x as Partial<ModuleRef & ZooRef & { spec: ModelSpec }>;
  if (typeof x === 'object') {
    if (o.module !== undefined) return { ...o, module: moduleUrl(o.module) } as ModuleRef;
    if (o.zoo !== undefined) return { zoo: o.zoo };
    if (o.spec !== undefined && typeof o.spec === 'object') return { zoo: o.spec };
  }
  const why = (x as { whyNoWorker?: string }).whyNoWorker;
  if (why !== undefined) throw new ModelRefError(`${where}: workers cannot rebuild this fromModel model: ${why}`);
  if (typeof x === 'function') throw new ModelRefError(`${where}: this loss is a plain function, which a worker thread cannot rebuild; ${THREE_WAYS}`);
  throw new ModelRefError(`${where}: model must be a zoo model, a fromModel adapter, a lossFrom loss or { module, export?, args? }; ${THREE_WAYS}`);
}

/** pick(value, ref, name): the loss in a module export (a function, a factory's result, or a Model's `loss`). */
async function pick(value: unknown, ref: ModuleRef, name: string): Promise<LossFn> {
  const where = `model module ${String(ref.module)}`;
  if (value === undefined) throw new ModelRefError(`${where} has no export '${name}'`);
  if (ref.args !== undefined) {
    if (typeof value !== 'function') throw new ModelRefError(`${where}: export '${name}' is not a function, but args were given`);
    value = await (value as (...a: unknown[]) => unknown)(...ref.args);
  }
  if (typeof value === 'function') return value as LossFn;
  if (typeof value === 'object' && value !== null && typeof (value as { loss?: unknown }).loss === 'function') return (value as { loss: LossFn }).loss;
  throw new ModelRefError(`${where}: export '${name}' is neither a loss function nor a model with a loss`);
}

/**
 * lossFrom(module, { export = 'default', args }): import your loss module here and return its loss, marked so that
 * `train(…, { workers })` and `parallel()` workers import the same module. `module` is a URL or a path (relative to the
 * working directory); `.ts` works under tsx, `.js`/`.mjs` under plain node.
 */
export async function lossFrom(module: string | URL, options: { readonly export?: string; readonly args?: readonly unknown[] } = {}): Promise<LossFn> {
  checkKeys('lossFrom', options, ['export', 'args']);
  const ref: ModuleRef = { module: moduleUrl(module), ...(options.export !== undefined ? { export: options.export } : {}), ...(options.args !== undefined ? { args: options.args } : {}) };
  const loss = await loadModule(ref);
  // A fresh function, so that tagging never touches the module's own export.
  return tagLoss((p, b) => loss(p, b), ref);
}

async function loadModule(ref: ModuleRef): Promise<LossFn> {
  const name = ref.export ?? 'default';
  const url = moduleUrl(ref.module);
  let mod: Record<string, unknown>;
  try {
    // A user's module by URL, at run time: bundlers are told to leave it alone.
    mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION') throw new ModelRefError(`cannot import the loss module ${url}: ${(e as Error).message}; a TypeScript module needs tsx (run with \`npx tsx\`), or write it as .js/.mjs for plain node`);
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && url.startsWith('file:')) throw new ModelRefError(`cannot import the loss module ${url} (a relative path is resolved against the working directory, ${cwd()}; or pass new URL('./model.ts', import.meta.url)): ${(e as Error).message}`);
    throw e;
  }
  return pick(mod[name], ref, name);
}

/** loadLoss(ref): the loss a reference names, built in this thread (every worker calls it once at start). */
export async function loadLoss(ref: ModelRef): Promise<LossFn> {
  if ('module' in ref) return loadModule(ref);
  const { modelFromSpec } = await import('../models/index.js');
  return modelFromSpec(ref.zoo).loss;
}
