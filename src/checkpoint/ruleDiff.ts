import { canonical } from '../canonical.js';
import { paramName, transforms } from '../transform/define.js';
import type { Fingerprint, Json } from './format.js';

/** One way two optimizers differ: a readable path and both values; `learningRate` when the path runs through a learning rate. */
export interface RuleDifference {
  /** E.g. `transform sgd.learningRate: 0.1 in the checkpoint, 0.2 given`. */
  readonly text: string;
  /** Whether it is a learning rate (a number or a schedule) that changed, which a resume may allow. */
  readonly learningRate: boolean;
}

const isObj = (x: unknown): x is Record<string, Json> => typeof x === 'object' && x !== null && !Array.isArray(x);
const show = (x: Json | undefined): string => (x === undefined ? 'absent' : isObj(x) && typeof x['transform'] === 'string' ? `${x['transform']}(…)` : canonical(x));

/** diffJSON(a, b, path, out): the differences between two transform JSONs, transform nodes named by kind and their arguments by parameter name. */
function diffJSON(a: Json | undefined, b: Json | undefined, path: readonly string[], out: RuleDifference[]): void {
  if (canonical(a ?? null) === canonical(b ?? null)) return;
  const lr = path.includes('learningRate');
  const at = path.join('.');
  const push = (): void => void out.push({ text: `${at}: ${show(a)} in the checkpoint, ${show(b)} given`, learningRate: lr });
  if (isObj(a) && isObj(b) && typeof a['transform'] === 'string' && typeof b['transform'] === 'string') {
    if (a['transform'] !== b['transform']) return push();
    const kind = a['transform'];
    const def = transforms.find(kind);
    const [xa, xb] = [(a['args'] ?? []) as Json[], (b['args'] ?? []) as Json[]];
    for (let i = 0; i < Math.max(xa.length, xb.length); i++) diffJSON(xa[i], xb[i], [...path, kind, paramName(def, i)].filter((s) => s !== ''), out);
    return;
  }
  if (isObj(a) && isObj(b) && !('schedule' in a) && !('schedule' in b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffJSON(a[k], b[k], [...path, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffJSON(x, b[i], [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${i}]`], out));
    return;
  }
  push();
}

/**
 * ruleDifferences(saved, given): how the optimizer that wrote a checkpoint differs from the one resuming, by name — the source
 * (its formula) and every transform hyperparameter (`transform sgd.options.momentum: 0.9 in the checkpoint, 0.8 given`). Empty when
 * either fingerprint lacks the JSON to compare (old checkpoints, custom functions): the structural check still applies.
 */
export function ruleDifferences(saved: Fingerprint, given: Fingerprint): RuleDifference[] {
  const out: RuleDifference[] = [];
  if (saved.sourceJSON !== null && given.sourceJSON !== null && canonical(saved.sourceJSON) !== canonical(given.sourceJSON)) {
    out.push({ text: `source: ${saved.source} in the checkpoint, ${given.source} given`, learningRate: false });
  }
  const [a, b] = [saved.transformJSON, given.transformJSON];
  if (a !== undefined && a !== null && b !== undefined && b !== null) diffJSON(a, b, ['transform'], out);
  return out;
}
