import { optimizer, type Optimizer } from './optimizer.js';
import { describe as describeSource } from './source/describe.js';
import { equals as sameSource, fromJSON as sourceFromJSON, toJSON as sourceToJSON } from './source/serialize.js';
import type { SourceNode } from './source/node.js';
import type { GradientSource } from './source/types.js';
import { describeTransform } from './transform/describe.js';
import { isTransformJSON, transformFromJSON, transformJSON, type TransformJSON } from './transform/json.js';
import { sameValue } from './transform/same.js';
import type { AnyTransformation } from './transform/types.js';

/** The JSON form of an optimizer: its source's and its transform's. */
export interface OptimizerJSON {
  /** toJSON(opt.source). */
  readonly source: unknown;
  /** toJSON(opt.transform). */
  readonly transform: TransformJSON;
}

const isOptimizer = (x: unknown): x is Optimizer =>
  typeof x === 'object' && x !== null && 'source' in x && 'transform' in x && typeof (x as { init?: unknown }).init === 'function';
const isTransform = (x: unknown): x is AnyTransformation => typeof x === 'object' && x !== null && typeof (x as { update?: unknown }).update === 'function' && !('kind' in x);
const isOptimizerJSON = (x: unknown): x is OptimizerJSON => typeof x === 'object' && x !== null && 'source' in x && isTransformJSON((x as { transform?: unknown }).transform);

/**
 * describe(x, { cost = false }): the formula of a gradient source (`0.5·∇L(w) + 0.5·∇L(w+ε), …`), of a transform (one line
 * per step of the update), or of a whole optimizer: `gradient g = …`, then the rule's steps, then the schedules, then `w ← w + g`.
 */
export function describe(x: GradientSource | SourceNode | Optimizer | AnyTransformation, options: { readonly cost?: boolean } = {}): string {
  if (isOptimizer(x)) {
    const defs: string[] = [];
    const lines = describeTransform(x.transform, defs, '  ');
    return [`gradient  g = ${describeSource(x.source, options)}`, 'update', ...lines, ...defs.map((d) => `  where ${d}`), '  w ← w + g'].join('\n');
  }
  if (isTransform(x)) {
    const defs: string[] = [];
    return [...describeTransform(x, defs), ...defs.map((d) => `where ${d}`)].join('\n');
  }
  return describeSource(x as SourceNode, options);
}

/** optimizerToJSON(opt): `{ source, transform }` as JSON; an error names the first part that is not registered or holds a custom function. */
export function optimizerToJSON(opt: Optimizer): OptimizerJSON {
  return { source: sourceToJSON(opt.source), transform: transformJSON(opt.transform, 'opt.transform') };
}

/** optimizerFromJSON(json): the optimizer `optimizerToJSON` wrote, rebuilt from its registered parts (an error names a missing kind and its module). */
export function optimizerFromJSON(json: unknown): Optimizer {
  if (!isOptimizerJSON(json)) throw new TypeError(`fromJSON: not a serialized optimizer (expected { source, transform: { transform, args } }): ${JSON.stringify(json)}`);
  return optimizer(sourceFromJSON(json.source), transformFromJSON(json.transform));
}

/** toJSON(x): the JSON of a gradient source, a transform (`{ transform, args }`) or an optimizer (`{ source, transform }`). */
export function toJSON(x: GradientSource | Optimizer | AnyTransformation): unknown {
  if (isOptimizer(x)) return optimizerToJSON(x);
  if (isTransform(x)) return transformJSON(x);
  return sourceToJSON(x as GradientSource);
}

/** fromJSON(json): what `toJSON` wrote — an optimizer, a transform or a gradient source, told apart by shape. */
export function fromJSON(json: OptimizerJSON): Optimizer;
export function fromJSON(json: TransformJSON): AnyTransformation;
export function fromJSON(json: unknown): GradientSource;
export function fromJSON(json: unknown): GradientSource | Optimizer | AnyTransformation {
  if (isOptimizerJSON(json)) return optimizerFromJSON(json);
  if (isTransformJSON(json)) return transformFromJSON(json);
  return sourceFromJSON(json);
}

/** equals(a, b): whether two sources, transforms or optimizers are the same data (kinds, structure, hyperparameters; schedules by spec, other functions by identity). */
export function equals(a: GradientSource | Optimizer | AnyTransformation, b: GradientSource | Optimizer | AnyTransformation): boolean {
  if (isOptimizer(a) || isOptimizer(b)) return isOptimizer(a) && isOptimizer(b) && sameSource(a.source, b.source) && sameValue(a.transform, b.transform);
  if (isTransform(a) || isTransform(b)) return sameValue(a, b);
  return sameSource(a as GradientSource, b as GradientSource);
}
