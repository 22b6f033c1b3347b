import * as tf from '@tensorflow/tfjs-core';
import { OptimixError } from './errors.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { bodyOf, constructorKind, specOf, transforms } from './transform/define.js';
import type { AnyTransformation, State } from './transform/types.js';

/** A path that names nothing in a state, or a value of the wrong kind for it. */
export class StatePathError extends OptimixError {}

type Step = string | number;
const isObj = (x: unknown): x is Record<string, State> => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor);
const isTransform = (x: unknown): x is AnyTransformation => isObj(x) && typeof (x as { update?: unknown }).update === 'function';

/** parse(path): `a.b[dense/kernel].c` → ['a', 'b', '[dense/kernel]', 'c'] (a bracketed leaf name may hold dots and slashes). */
function parse(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new StatePathError(`state path '${path}': '[' without ']'`);
      if (cur !== '') out.push(cur);
      out.push(path.slice(i, end + 1));
      cur = '';
      i = end;
    } else if (c === '.') {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** The transform whose state is `s[key]` inside t's state s, when it can be told (inner rules, named or chained members). */
function childAt(t: AnyTransformation | undefined, s: State, key: Step): AnyTransformation | undefined {
  const spec = specOf(t);
  if (spec === undefined) return undefined;
  const args = spec.args;
  const members = args.flatMap((a) => (isTransform(a) ? [a] : Array.isArray(a) ? a.filter(isTransform) : []));
  if (Array.isArray(s) && typeof key === 'number') return members[key];
  if (spec.kind === 'namedChain') return (args as readonly (readonly [string, AnyTransformation])[]).find((m) => m[0] === key)?.[1];
  if (key === 'inner' && spec.kind === 'injectHyperparams' && isObj(s) && isObj(s['hyperparams'])) {
    const factory = args[0] as (...a: unknown[]) => AnyTransformation;
    const h = s['hyperparams'] as Record<string, number>;
    const ps = transforms.find(constructorKind(factory) ?? '')?.params ?? [];
    if (ps[0] === 'learningRate' && ps[1] === 'options') {
      const { learningRate, ...rest } = h;
      return factory(learningRate, rest);
    }
    return factory(h);
  }
  if (key === 'inner' && members.length === 1) return members[0];
  return undefined;
}

/** The parts of a rule below t and where their states live: [state steps, transform] for every descendant, depth first. */
function parts(t: AnyTransformation | undefined, s: State): [Step[], AnyTransformation][] {
  if (t === undefined) return [];
  const body = bodyOf(t);
  if (body !== undefined) return [[[], body], ...parts(body, s)];
  const out: [Step[], AnyTransformation][] = [];
  const keys: Step[] = Array.isArray(s) ? s.map((_, i) => i) : isObj(s) ? Object.keys(s) : [];
  for (const k of keys) {
    const c = childAt(t, s, k);
    if (c === undefined) continue;
    const cs = (s as Record<Step, State>)[k] as State;
    out.push([[k], c], ...parts(c, cs).map(([p, x]) => [[k, ...p], x] as [Step[], AnyTransformation]));
  }
  return out;
}

const kindOf = (t: AnyTransformation | undefined): string | undefined => specOf(t)?.kind;

/** locate(opt, state, path): the concrete steps into the OptimizerState that a path names, or a StatePathError saying where it stops. */
function locate(opt: Optimizer, state: OptimizerState, path: string): Step[] {
  const segs = parse(path);
  if (segs.length === 0) throw new StatePathError(`state path '${path}' is empty`);
  if (['count', 'key', 'source'].includes(segs[0] as string)) return segs.map((x) => (x.startsWith('[') ? x.slice(1, -1) : x));
  const steps: Step[] = ['transform'];
  let t: AnyTransformation | undefined = opt.transform;
  let s: State = state.transform;
  const done: string[] = [];
  for (const seg of segs[0] === 'transform' ? segs.slice(1) : segs) {
    if (seg.startsWith('[')) {
      const name = seg.slice(1, -1);
      if (!isObj(s) || !(s[name] instanceof tf.Tensor)) {
        throw new StatePathError(`state path '${path}': at '${done.join('.') || 'the state'}' there is no parameter '${name}'${isObj(s) ? ` (it holds ${Object.keys(s).join(', ')})` : ''}`);
      }
      steps.push(name);
      s = s[name] as State;
      t = undefined;
    } else if (isObj(s) && seg in s) {
      t = childAt(t, s, seg);
      steps.push(seg);
      s = s[seg] as State;
    } else if (Array.isArray(s) && /^\d+$/.test(seg) && Number(seg) < s.length) {
      t = childAt(t, s, Number(seg));
      steps.push(Number(seg));
      s = s[Number(seg)] as State;
    } else if (kindOf(t) === seg) {
      const body = t === undefined ? undefined : bodyOf(t);
      if (body !== undefined) t = body;
    } else {
      const found = parts(t, s).find(([, x]) => kindOf(x) === seg);
      if (found === undefined) {
        const fields = isObj(s) ? Object.keys(s) : Array.isArray(s) ? s.map((_, i) => String(i)) : [];
        const kinds = [...new Set(parts(t, s).map(([, x]) => kindOf(x)).filter((k): k is string => k !== undefined))];
        throw new StatePathError(
          `state path '${path}': at '${done.join('.') || 'the state'}', '${seg}' is neither a field of the state (${fields.join(', ') || 'none'}) nor a part of the rule (${kinds.join(', ') || 'none'})`,
        );
      }
      const [p, x] = found;
      for (const k of p) s = (s as Record<Step, State>)[k] as State;
      steps.push(...p);
      t = bodyOf(x) ?? x;
    }
    done.push(seg);
  }
  return steps;
}

const walk = (state: OptimizerState, steps: readonly Step[]): unknown => steps.reduce<unknown>((v, k) => (v as Record<Step, unknown>)[k], state);

/**
 * stateGet(opt, state, path): one value of an optimizer state by name — a hyperparameter under injectHyperparams
 * (`'hyperparams.learningRate'`), a moment of one parameter (`'trace.momentum[dense/kernel]'`, `'scaleByAdam.nu[w]'`), a counter
 * (`'count'`). A segment is a field of the state, a chain index, or the kind of a part of the rule (found below, depth first);
 * `[name]` picks a parameter. The value is borrowed (do not dispose it). An unknown path is a StatePathError saying where it stops.
 */
export function stateGet(opt: Optimizer, state: OptimizerState, path: string): unknown {
  return walk(state, locate(opt, state, path));
}

/**
 * stateSet(opt, state, path, value): a new state (every tensor a fresh copy, yours) with the value at `path` replaced — a number for a
 * number, a tensor of the same shape and dtype for a tensor. The given state is untouched.
 */
export function stateSet(opt: Optimizer, state: OptimizerState, path: string, value: number | tf.Tensor): OptimizerState {
  const steps = locate(opt, state, path);
  const old = walk(state, steps);
  if (old instanceof tf.Tensor) {
    if (!(value instanceof tf.Tensor) || value.dtype !== old.dtype || !tf.util.arraysEqual(value.shape, old.shape)) {
      const got = value instanceof tf.Tensor ? `${value.dtype}[${value.shape.join(', ')}]` : typeof value;
      throw new StatePathError(`stateSet '${path}': the state holds a ${old.dtype}[${old.shape.join(', ')}] tensor there, got ${got}`);
    }
  } else if (typeof old === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new StatePathError(`stateSet '${path}': the state holds a number there, got ${value instanceof tf.Tensor ? 'a tensor' : String(value)}`);
  } else throw new StatePathError(`stateSet '${path}': the state holds ${Array.isArray(old) ? 'a list' : typeof old} there; set a number or a tensor leaf`);
  const put = (node: unknown, rest: readonly Step[]): unknown => {
    if (rest.length === 0) return value instanceof tf.Tensor ? tf.clone(value) : value;
    const [k, ...more] = rest as [Step, ...Step[]];
    if (Array.isArray(node)) return node.map((x, i) => (i === k ? put(x, more) : copy(x)));
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, x]) => [key, key === String(k) ? put(x, more) : key === 'key' ? x : copy(x)]));
  };
  return put(state, steps) as OptimizerState;
}

/** copy(x): x with every tensor cloned (plain data copied, keys kept). */
function copy(x: unknown): unknown {
  if (x instanceof tf.Tensor) return tf.clone(x);
  if (Array.isArray(x)) return Object.isFrozen(x) ? x : x.map(copy);
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)]));
  return x;
}
