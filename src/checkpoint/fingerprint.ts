import { canonical } from '../canonical.js';
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerState } from '../optimizer.js';
import { describe } from '../source/describe.js';
import { toJSON } from '../source/serialize.js';
import { transformJSON as ruleJSON } from '../transform/json.js';
import type { Tree } from '../tree.js';
import type { Fingerprint, Json } from './format.js';
import { tensorKind } from './structure.js';

/** Whether an object is shaped like the parameters: the same names, each a tensor of the parameter's shape and dtype. */
function likeParams(x: Record<string, unknown>, params: Tree): boolean {
  const names = Object.keys(params);
  const keys = Object.keys(x);
  if (keys.length !== names.length || names.length === 0) return false;
  return names.every((n) => {
    const v = x[n];
    const p = params[n] as tf.Tensor;
    return v instanceof tf.Tensor && v.dtype === p.dtype && tf.util.arraysEqual(v.shape, p.shape);
  });
}

/**
 * signature(value, params): the structure of a state value as JSON — leaf kinds (`number`, `float32[3]`, …) in place of values,
 * and `"params"` for every subtree shaped like the parameters — so that it describes the rule, not the model.
 */
export function signature(value: unknown, params: Tree): Json {
  if (value instanceof tf.Tensor) return tensorKind(value);
  if (Array.isArray(value)) {
    if (value.length === 2 && Object.isFrozen(value) && value.every((w) => Number.isInteger(w))) return 'key';
    return value.map((v) => signature(v, params));
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (likeParams(o, params)) return 'params';
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(o)) out[k] = signature(v, params);
    return out;
  }
  return value === null ? 'null' : typeof value;
}

/** sourceJSON(opt): toJSON(opt.source) as plain JSON, or null when the source holds custom functions. */
function sourceJSON(opt: Optimizer): Json {
  try {
    return JSON.parse(JSON.stringify(toJSON(opt.source))) as Json;
  } catch {
    return null;
  }
}

/** transformJSON(opt): toJSON(opt.transform) as plain JSON, or null when a part is unregistered or holds a custom function. */
function transformJSON(opt: Optimizer): Json {
  try {
    return JSON.parse(JSON.stringify(ruleJSON(opt.transform))) as Json;
  } catch {
    return null;
  }
}

/** fingerprintOf(opt, state, params): the fingerprint of an optimizer whose initial state for these params is `state`. */
export function fingerprintOf(opt: Optimizer, state: OptimizerState, params: Tree): Fingerprint {
  return {
    source: describe(opt.source),
    sourceJSON: sourceJSON(opt),
    transform: signature(state.transform, params),
    sourceState: signature(state.source, params),
    transformJSON: transformJSON(opt),
  };
}

/**
 * fingerprint(opt, params): what a checkpoint records of the optimizer — describe/toJSON of its source, toJSON of its rule (every
 * hyperparameter) and the structure of the state `opt.init(params)` makes (computed in a tf.tidy: nothing survives).
 */
export function fingerprint(opt: Optimizer, params: Tree): Fingerprint {
  return tf.tidy(() => fingerprintOf(opt, opt.init(params), params) as unknown as tf.TensorContainer) as unknown as Fingerprint;
}

/** sameRule(a, b): whether two fingerprints name the same rule structurally (source JSON when both have it, else the formulas; and both state structures); hyperparameters are compared by `ruleDifferences`. */
export function sameRule(a: Fingerprint, b: Fingerprint): boolean {
  const src = a.sourceJSON !== null && b.sourceJSON !== null ? canonical(a.sourceJSON) === canonical(b.sourceJSON) : a.source === b.source;
  return src && canonical(a.transform) === canonical(b.transform) && canonical(a.sourceState) === canonical(b.sourceState);
}

/** fingerprintText(fp): a fingerprint on one line, for messages. */
export const fingerprintText = (fp: Fingerprint): string => `source ${fp.source}; transform state ${canonical(fp.transform)}; source state ${canonical(fp.sourceState)}`;

export { canonical };
