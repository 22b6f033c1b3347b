import * as tf from '@tensorflow/tfjs-core';
import { applyGradients, step, type Optimizer, type OptimizerState, type StepResult } from '../optimizer.js';
import { key as rootKey, isKey, type Key } from '../random.js';
import { describe } from '../source/describe.js';
import { toJSON } from '../source/serialize.js';
import type { GradientSource, Mix } from '../source/types.js';
import { disposeReplaced, disposeTree, tensorsOf, type Tree } from '../tree.js';
import { compareKinds, encode, infosOf, kinds, newContext } from '../checkpoint/structure.js';
import { keepOnlyFirst, variableLoss } from './bridge.js';
import { InteropError } from './errors.js';
import { stateToWeights, weightsToState, type NamedTensor } from './stateWeights.js';

/** Options of `asTfOptimizer`. */
export interface TfOptimizerOptions {
  /** The random key of the optimizer state (RWP's noise); default key(0). Same key ⇒ the same run as `train` with that key. */
  readonly key?: Key;
  /**
   * The loss `minimize` returns (what `fit` logs as `loss`): 'step' (default) is the step's own value — L(w; B) when the source
   * evaluates w (SGD, RWP, SAM), else L(w + ε; B) (ARWP alone); 'clean' is always L(w; B), at one extra forward pass when needed.
   */
  readonly loss?: 'step' | 'clean';
}

const splitPaths = (s: GradientSource, path = 'g'): string[] => {
  const m = s as Mix;
  return s.kind === 'mix' ? [...(m.batch === 'split' ? [path] : []), ...splitPaths(m.a, `${path}.a`), ...splitPaths(m.b, `${path}.b`)] : [];
};

const keepAll = (x: unknown): void => {
  for (const t of tensorsOf(x)) tf.keep(t);
};

/** stateProblems(opt, state, params): how a state differs in structure from opt.init(params) (paths, shapes, dtypes, kinds). */
function stateProblems(opt: Optimizer, state: OptimizerState, params: Tree): string[] {
  return tf.tidy(() => {
    const mine = newContext();
    const expected = encode(opt.init(params), ['state'], mine);
    const theirs = newContext();
    const actual = encode(state, ['state'], theirs);
    const problems = compareKinds(kinds(expected, infosOf(mine.tensors), ['state']), kinds(actual, infosOf(theirs.tensors), ['state']), "the optimizer's state", 'the given state');
    return [...theirs.problems, ...problems] as unknown as tf.TensorContainer;
  }) as unknown as string[];
}

const trainableVariables = (): tf.Variable[] => Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);

/**
 * A tf.Optimizer that runs an optimix optimizer: `model.compile({ optimizer: asTfOptimizer(opt), loss })` then `model.fit`.
 * State is keyed by variable name. `minimize` runs one optimix `step` on the variables, with the layers loss closure as the loss.
 */
export class OptimixTfOptimizer extends tf.Optimizer {
  /** The name tfjs serialization knows this class by. */
  static className = 'OptimixOptimizer';
  private state_: OptimizerState | undefined;
  private names_: readonly string[] | undefined;
  private head_: tf.Tensor | undefined;
  /** Metric values the layers loss closure kept on extra evaluations of the previous step (see keepOnlyFirst). */
  private extras_: tf.Tensor[] = [];
  /** Whether the state was set from outside (setState/setWeights) and not yet compared with opt.init of the variables. */
  private unchecked_ = false;

  constructor(
    /** The optimix optimizer this adapter runs. */
    readonly opt: Optimizer,
    private readonly key: Key = rootKey(0),
    private readonly lossMode: 'step' | 'clean' = 'step',
  ) {
    super();
    const split = splitPaths(opt.source);
    if (split.length > 0) {
      throw new InteropError(
        `asTfOptimizer: the source splits the batch (mix(…, { batch: 'split' }) at ${split.join(', ')}, e.g. mRwp/mArwp), but tfjs-layers hides the batch inside its loss closure, so it cannot be halved; use batch: 'same' (rwp()), or train(opt, fromModel(model).loss, …)`,
      );
    }
    if (!isKey(key)) throw new TypeError(`asTfOptimizer: key must be made by key(seed), got ${JSON.stringify(key)}`);
    if (lossMode !== 'step' && lossMode !== 'clean') throw new TypeError(`asTfOptimizer: loss must be 'step' or 'clean', got ${JSON.stringify(lossMode)}`);
  }

  /** The optimizer state (borrowed: do not dispose), or undefined before the first step. */
  get state(): OptimizerState | undefined {
    return this.state_;
  }

  /** setState(state, names?): resume from a state (e.g. a loaded checkpoint's); taken over and disposed when replaced. */
  setState(state: OptimizerState, names?: readonly string[]): void {
    this.replace(state, names);
    this.unchecked_ = true;
  }

  private replace(state: OptimizerState, names: readonly string[] | undefined): void {
    keepAll(state);
    if (this.state_ !== undefined) disposeReplaced(this.state_, state);
    this.state_ = state;
    this.names_ = names;
    this.iterations_ = state.count;
  }

  private variablesAndNames(varList: tf.Variable[] | undefined): { variables: tf.Variable[]; names: string[] } {
    const variables = varList ?? trainableVariables();
    const names = variables.map((v) => v.name);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length > 0) throw new InteropError(`asTfOptimizer: variables share names: ${[...new Set(dup)].join(', ')}; optimix keys state by name`);
    if (this.names_ !== undefined) {
      const before = new Set(this.names_);
      const now = new Set(names);
      const problems = [
        ...[...before].filter((n) => !now.has(n)).map((n) => `'${n}' had state and is not trained now`),
        ...[...now].filter((n) => !before.has(n)).map((n) => `'${n}' is trained now and has no state`),
      ];
      if (problems.length > 0) throw new InteropError(`asTfOptimizer: the trained variables changed since the state was made:\n  - ${problems.join('\n  - ')}`);
    }
    return { variables, names };
  }

  private snapshot(variables: readonly tf.Variable[], names: readonly string[]): Record<string, tf.Tensor> {
    const at: Record<string, tf.Tensor> = {};
    variables.forEach((v, i) => {
      at[names[i] as string] = tf.clone(v);
    });
    return at;
  }

  private stateFor(at: Tree, names: readonly string[]): OptimizerState {
    if (this.state_ === undefined) this.replace(this.opt.init(at, this.key), names);
    else if (this.unchecked_) {
      const problems = stateProblems(this.opt, this.state_, at);
      if (problems.length > 0) throw new InteropError(`asTfOptimizer: the state set with setState/setWeights does not fit this optimizer and these variables:\n  - ${problems.join('\n  - ')}`);
      this.unchecked_ = false;
      this.names_ = names;
    }
    return this.state_ as OptimizerState;
  }

  private commit(variables: readonly tf.Variable[], names: readonly string[], r: { params: Tree; state: OptimizerState }): void {
    variables.forEach((v, i) => v.assign(r.params[names[i] as string] as tf.Tensor));
    this.replace(r.state, names);
    disposeReplaced(r.params, r.state);
  }

  /** minimize(f, returnCost, varList): one optimix step on the variables (default: every trainable variable), f the loss closure. */
  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const { variables, names } = this.variablesAndNames(varList);
    this.freeExtras();
    const at = this.snapshot(variables, names);
    const loss = keepOnlyFirst(f, this.extras_);
    try {
      const state = this.stateFor(at, names);
      const r: StepResult = step(this.opt, variableLoss(loss, variables, names, at), at, {}, state);
      const cost = this.lossMode === 'clean' && r.valueAt !== 'w' ? tf.tidy(() => tf.clone(loss())) : tf.scalar(r.value);
      this.commit(variables, names, r);
      if (returnCost) return cost;
      cost.dispose();
      return null;
    } finally {
      disposeReplaced(at, this.state_);
    }
  }

  private freeExtras(): void {
    for (const t of this.extras_) if (!t.isDisposed) t.dispose();
    this.extras_ = [];
  }

  /** applyGradients(grads): the transform half of a step for gradients computed elsewhere (cleanGrad sources only: a perturbed source needs `minimize`). */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    if (this.opt.source.kind !== 'clean') {
      throw new InteropError(`applyGradients: the source ${describe(this.opt.source)} must evaluate the loss itself; call minimize(f) (as model.fit does), not applyGradients`);
    }
    const grads: Record<string, tf.Tensor> = Array.isArray(variableGradients) ? Object.fromEntries(variableGradients.map((g) => [g.name, g.tensor])) : { ...variableGradients };
    const registered = tf.engine().registeredVariables;
    const unknown = Object.keys(grads).filter((n) => registered[n] === undefined);
    if (unknown.length > 0) throw new InteropError(`applyGradients: no variable named ${unknown.map((n) => `'${n}'`).join(', ')}`);
    const { variables, names } = this.variablesAndNames(Object.keys(grads).map((n) => registered[n] as tf.Variable));
    const at = this.snapshot(variables, names);
    try {
      this.commit(variables, names, applyGradients(this.opt, grads, this.stateFor(at, names), at));
    } finally {
      disposeReplaced(at, this.state_);
    }
  }

  /** getConfig(): the source's formula and JSON (the transform holds functions and is not serializable). */
  override getConfig(): tf.serialization.ConfigDict {
    let json: unknown = null;
    try {
      json = toJSON(this.opt.source);
    } catch {
      json = null;
    }
    return { source: describe(this.opt.source), sourceJSON: JSON.parse(JSON.stringify(json)) as tf.serialization.ConfigDictValue };
  }

  /**
   * fromConfig(): a placeholder (`SavedOptimixOptimizer`) — an optimix transform is code, not config. `tf.loadLayersModel` of a
   * model saved with `includeOptimizer: true` gets the placeholder, which holds the saved state for asTfOptimizer(…).setWeights.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(_cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new SavedOptimixOptimizer(config) as unknown as T;
  }

  /** getWeights(): the state as named tensors (a JSON skeleton as a string scalar, then every state tensor by path). */
  override async getWeights(): Promise<NamedTensor[]> {
    if (this.state_ === undefined) return [];
    this.head_?.dispose();
    const w = stateToWeights(this.state_, this.names_ ?? []);
    this.head_ = w[0]?.tensor;
    return w;
  }

  /** setWeights(weights): restore the state `getWeights` gave (copies the tensors). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const { state, names } = weightsToState(weightValues);
    this.setState(state, names.length > 0 ? names : undefined);
  }

  /** dispose(): free the state's tensors. */
  override dispose(): void {
    if (this.state_ !== undefined) disposeTree(this.state_);
    this.head_?.dispose();
    this.freeExtras();
    this.state_ = undefined;
    this.head_ = undefined;
    super.dispose();
  }
}

/**
 * What `tf.loadLayersModel` compiles a model with when it was saved with an optimix optimizer: it keeps the saved state
 * (`getWeights()`) and refuses to train. Recompile: `const o = asTfOptimizer(opt); await o.setWeights(await model.optimizer.getWeights());
 * model.compile({ optimizer: o, loss })`.
 */
export class SavedOptimixOptimizer extends tf.Optimizer {
  /** Serialized under the same name as OptimixTfOptimizer. */
  static className = OptimixTfOptimizer.className;
  private weights_: NamedTensor[] = [];

  constructor(private readonly config: tf.serialization.ConfigDict) {
    super();
  }

  private refuse(): never {
    throw new InteropError(
      `this model was loaded with the saved state of an optimix optimizer (${String(this.config['source'] ?? 'unknown source')}), which cannot be rebuilt from its config (the transform is code). Recompile it: const o = asTfOptimizer(opt); await o.setWeights(await model.optimizer.getWeights()); model.compile({ optimizer: o, loss })`,
    );
  }

  /** minimize(): refused; recompile with asTfOptimizer (see the class doc). */
  override minimize(): tf.Scalar | null {
    return this.refuse();
  }

  /** applyGradients(): refused; recompile with asTfOptimizer (see the class doc). */
  override applyGradients(): void {
    this.refuse();
  }

  /** getConfig(): the config it was loaded from. */
  override getConfig(): tf.serialization.ConfigDict {
    return this.config;
  }

  /** getWeights(): the saved optimizer state, for asTfOptimizer(opt).setWeights(…). */
  override async getWeights(): Promise<NamedTensor[]> {
    return this.weights_;
  }

  /** setWeights(weights): keep copies of the saved state (tf.loadLayersModel calls this, then disposes its own tensors). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    for (const w of this.weights_) w.tensor.dispose();
    this.weights_ = weightValues.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
  }

  /** dispose(): free the kept state. */
  override dispose(): void {
    for (const w of this.weights_) w.tensor.dispose();
    this.weights_ = [];
    super.dispose();
  }
}

tf.serialization.registerClass(OptimixTfOptimizer);

/**
 * asTfOptimizer(opt, { key = key(0), loss = 'step' }): a tf.Optimizer running an optimix optimizer, for
 * `model.compile({ optimizer, loss })` and `model.fit`. RWP and SAM evaluate the layers loss at perturbed weights by assigning
 * w + ε to the variables and restoring the saved tensors. Sources that split the batch (mRwp) are refused.
 */
export function asTfOptimizer(opt: Optimizer, options: TfOptimizerOptions = {}): OptimixTfOptimizer {
  return new OptimixTfOptimizer(opt, options.key ?? rootKey(0), options.loss ?? 'step');
}
