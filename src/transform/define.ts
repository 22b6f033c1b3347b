import { checkKeys } from '../validate.js';
import { registry, type Registered } from '../registry.js';
import type { Hyper } from '../schedule.js';
import type { AnyTransformation } from './types.js';

/** How a transform was made: its registered kind and the arguments its constructor was called with (copied). */
export interface TransformSpec {
  /** The registered kind, e.g. `'sgd'`. */
  readonly kind: string;
  /** The constructor's arguments: numbers, schedules, options objects, other transforms. */
  readonly args: readonly unknown[];
}

/** What `describe` hands a formula: printers for hyperparameters (a schedule becomes a symbol with its definition below). */
export interface TransformFormatter {
  /** hyper(h, symbol): a number printed, or a schedule as `symbol_t` (its definition is listed after the update). */
  readonly hyper: (h: Hyper, symbol: string) => string;
  /** num(x): a number printed to 12 significant digits. */
  readonly num: (x: number) => string;
}

/** A registered transform kind: its constructor (which records the spec), parameter names, and formula for `describe`. */
export interface TransformDefinition extends Registered {
  /** The recording constructor: args → a transform carrying its spec. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly make: (...args: any[]) => AnyTransformation;
  /** The names of the constructor's parameters (a last `...name` takes the rest), for `describe`, diffs and state paths. */
  readonly params: readonly string[];
  /** formula(args, f): one line of what the transform does to the update g, e.g. `m ← 0.9·m + g; g ← m`. */
  readonly formula?: (args: readonly unknown[], f: TransformFormatter) => string;
  /** Whether `describe` prints only its member transforms (as `chain` does), not a header line. */
  readonly inline?: boolean;
  /** expand(args): the transforms `describe` prints below the header when they are not among the arguments (injectHyperparams' rule). */
  readonly expand?: (args: readonly unknown[]) => readonly AnyTransformation[];
}

/** Every transform kind, built-in (sgd, trace, chain, …) and user-defined, by name. */
export const transforms = registry<TransformDefinition>('gradient transform');

/** Options of `defineTransform`. */
export interface DefineTransformOptions {
  /** The URL of the defining module (`import.meta.url`) for kinds outside optimix; `fromJSON` names it when the kind is missing. */
  readonly module?: string;
  /** The constructor's parameter names (default the function's own, read from its source). */
  readonly params?: readonly string[];
  /** See `TransformDefinition.formula`. */
  readonly formula?: TransformDefinition['formula'];
  /** See `TransformDefinition.inline`. */
  readonly inline?: boolean;
  /** See `TransformDefinition.expand`. */
  readonly expand?: TransformDefinition['expand'];
}

const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype && typeof (x as { update?: unknown }).update !== 'function';

/** copyArg(x): plain objects and arrays copied (undefined keys dropped), everything else (numbers, schedules, transforms, tensors) kept. */
function copyArg(x: unknown): unknown {
  if (Array.isArray(x)) return Object.freeze(x.map(copyArg));
  if (isPlain(x)) return Object.freeze(Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, copyArg(v)])));
  return x;
}

/** The spec of a transform made by a registered constructor, or undefined. */
export const specOf = (t: unknown): TransformSpec | undefined => (typeof t === 'object' && t !== null ? (t as { spec?: TransformSpec }).spec : undefined);

/** The transform a composite constructor (sgd = chain(…)) returned before its spec was recorded, for `describe`. */
export const bodyOf = (t: unknown): AnyTransformation | undefined => (typeof t === 'object' && t !== null ? (t as { body?: AnyTransformation }).body : undefined);

/** The registered kind of a recording constructor (a function `defineTransform` returned), or undefined. */
export const constructorKind = (f: unknown): string | undefined => (typeof f === 'function' ? (f as { transformKind?: string }).transformKind : undefined);

/** The parameter names of a function, read from its source text (`(a, { b, c } = {}, ...rest)` → a, options, ...rest). */
function paramNames(f: (...a: never[]) => unknown): string[] {
  const src = f.toString();
  const open = src.indexOf('(');
  let depth = 0;
  let cur = '';
  const out: string[] = [];
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i] as string;
    if ((c === ')' || c === ',') && depth === 0) {
      const name = /^\s*(\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(cur);
      if (cur.trim() !== '') out.push(name !== null ? `${name[1] ?? ''}${name[2] as string}` : 'options');
      cur = '';
      if (c === ')') break;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    cur += c;
  }
  return out;
}

/**
 * defineTransform(kind, constructor, { module, params, formula }): register a transform kind and return the constructor,
 * unchanged in use, whose every transform records `{ kind, args }`, so that it is printed by `describe`, saved by `toJSON`,
 * rebuilt by `fromJSON` and compared by `equals` (the built-ins are defined this way, one line each).
 * @typeParam F - the constructor's own type, returned unchanged (its parameters and the transform it builds).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineTransform<F extends (...args: any[]) => AnyTransformation>(kind: string, constructor: F, options: DefineTransformOptions = {}): F {
  if (typeof constructor !== 'function') throw new TypeError(`defineTransform '${kind}': the constructor must be a function, got ${typeof constructor}`);
  checkKeys(`defineTransform '${kind}'`, options, ['module', 'params', 'formula', 'inline', 'expand']);
  const make = function (this: unknown, ...args: unknown[]): AnyTransformation {
    const made = constructor(...args);
    const spec: TransformSpec = Object.freeze({ kind, args: Object.freeze(args.map(copyArg)) });
    const out = { ...made };
    Object.defineProperty(out, 'spec', { value: spec });
    const inner = specOf(made);
    if (inner !== undefined) Object.defineProperty(out, 'body', { value: made });
    return Object.freeze(out);
  };
  Object.defineProperty(make, 'name', { value: constructor.name || kind });
  Object.defineProperty(make, 'transformKind', { value: kind });
  transforms.define({
    kind,
    module: options.module,
    make,
    params: options.params ?? paramNames(constructor),
    ...(options.formula !== undefined ? { formula: options.formula } : {}),
    ...(options.inline === true ? { inline: true } : {}),
    ...(options.expand !== undefined ? { expand: options.expand } : {}),
  });
  return make as unknown as F;
}

/** paramName(def, i): the name of argument i of a kind (`transforms[2]` for the rest parameter of chain). */
export function paramName(def: TransformDefinition | undefined, i: number): string {
  const ps = def?.params ?? [];
  const last = ps[ps.length - 1];
  if (i < ps.length && !(ps[i] as string).startsWith('...')) return ps[i] as string;
  if (last !== undefined && last.startsWith('...')) return `${last.slice(3)}[${i - (ps.length - 1)}]`;
  return `arg${i}`;
}
