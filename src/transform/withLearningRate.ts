import { OptimixError } from '../errors.js';
import type { Hyper } from '../schedule.js';
import { specOf, transforms } from './define.js';
import type { AnyTransformation } from './types.js';

/**
 * withLearningRate(t, lr): the same transform rebuilt with another learning rate — the first `learningRate` argument found
 * (sgd(0.1) → sgd(lr)), or `hyperparams.learningRate` of injectHyperparams, searching members (chain, masked, …) in order.
 * Returns undefined when t has none.
 */
export function withLearningRate(t: AnyTransformation, lr: Hyper): AnyTransformation | undefined {
  const spec = specOf(t);
  if (spec === undefined) return undefined;
  const def = transforms.get(spec.kind, 'withLearningRate');
  const at = def.params.indexOf('learningRate');
  if (at >= 0) return def.make(...spec.args.map((a, i) => (i === at ? lr : a)));
  const hp = spec.args[1] as Record<string, unknown> | undefined;
  if (spec.kind === 'injectHyperparams' && hp !== undefined && 'learningRate' in hp) return def.make(spec.args[0], { ...hp, learningRate: lr });
  const args = [...spec.args];
  const replace = (v: unknown): { v: unknown; done: boolean } => {
    if (specOf(v) !== undefined) {
      const r = withLearningRate(v as AnyTransformation, lr);
      return r === undefined ? { v, done: false } : { v: r, done: true };
    }
    if (Array.isArray(v)) {
      const out = [...v];
      for (let i = 0; i < out.length; i++) {
        const r = replace(out[i]);
        if (r.done) return ((out[i] = r.v), { v: out, done: true });
      }
    } else if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = { ...v };
      for (const k of Object.keys(out)) {
        const r = replace(out[k]);
        if (r.done) return ((out[k] = r.v), { v: out, done: true });
      }
    }
    return { v, done: false };
  };
  for (let i = 0; i < args.length; i++) {
    const r = replace(args[i]);
    if (r.done) {
      args[i] = r.v;
      return def.make(...args);
    }
  }
  return undefined;
}

/** requireLearningRate(t, lr, where): withLearningRate, or an error saying the rule has no learning rate. */
export function requireLearningRate(t: AnyTransformation, lr: Hyper, where: string): AnyTransformation {
  const r = withLearningRate(t, lr);
  if (r === undefined) throw new OptimixError(`${where}: the rule ${specOf(t)?.kind ?? '(an unregistered transform)'} has no learning rate to set (no registered part takes a learningRate)`);
  return r;
}
