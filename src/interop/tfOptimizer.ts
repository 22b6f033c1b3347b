import * as tf from '@tensorflow/tfjs-core';
import { applyGradients, step, type Optimizer, type OptimizerState, type StepResult } from '../optimizer.js';
import { key as rootKey, isKey, type Key } from '../random.js';
import { describe } from '../source/describe.js';
import { toJSON } from '../source/serialize.js';
import type { GradientSource, Mix } from '../source/types.js';
import { disposeReplaced, disposeTree, tensorsOf, type Tree } from '../tree.js';
import { compareKinds, encode, infosOf, kinds, newContext } from '../checkpoint/structure.js';
import { keepOnlyFirst, skipped, variableLoss, type Connected } from './bridge.js';
import { keepSkipped } from './keepSkipped.js';
import { at as stateAt, putAt, tfSlots, withCounts } from './tfNames.js';
import { optimizerFromJSON, optimizerToJSON } from '../optimizerData.js';
import { optimizer as makeOptimizer } from '../optimizer.js';
import { requireLearningRate } from '../transform/withLearningRate.js';
import { specOf } from '../transform/define.js';
import type { Hyper } from '../schedule.js';
import { InteropError } from './errors.js';
import { stateToWeights, weightsToState, type NamedTensor } from './stateWeights.js';
import { checkKeys } from '../validate.js';

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

  private opt_: Optimizer;
  /** Tensors getWeights made (iter, zeros for tf.train slots optimix does not need), freed on the next call. */
  private made_: tf.Tensor[] = [];
  /** The step count set by setWeights([iter]) before any state exists (tf.train.sgd's weights are the count alone). */
  private pendingCount_: number | undefined;

  constructor(
    opt: Optimizer,
    private readonly key: Key = rootKey(0),
    private readonly lossMode: 'step' | 'clean' = 'step',
  ) {
    super();
    this.opt_ = opt;
    const split = splitPaths(opt.source);
    if (split.length > 0) {
      throw new InteropError(
        `asTfOptimizer: the source splits the batch (mix(…, { batch: 'split' }) at ${split.join(', ')}, e.g. mRwp/mArwp), but tfjs-layers hides the batch inside its loss closure, so it cannot be halved; use batch: 'same' (rwp()), or train(opt, fromModel(model).loss, …)`,
      );
    }
    if (!isKey(key)) throw new TypeError(`asTfOptimizer: key must be made by key(seed), got ${JSON.stringify(key)}`);
    if (lossMode !== 'step' && lossMode !== 'clean') throw new TypeError(`asTfOptimizer: loss must be 'step' or 'clean', got ${JSON.stringify(lossMode)}`);
  }

  /** The optimix optimizer this adapter runs (setLearningRate replaces it by one with the new rate). */
  get opt(): Optimizer {
    return this.opt_;
  }

  /** setLearningRate(lr): run on with another learning rate (a number or a schedule), the state kept (tf.train's setLearningRate). */
  setLearningRate(learningRate: Hyper): void {
    const transform = requireLearningRate(this.opt_.transform, learningRate, 'setLearningRate');
    this.opt_ = makeOptimizer(this.opt_.source, transform);
    if (this.state_ !== undefined) {
      const t = this.state_.transform as { hyperparams?: Record<string, number> } | null;
      if (typeof learningRate === 'number' && t?.hyperparams !== undefined && 'learningRate' in t.hyperparams) {
        this.state_ = { ...this.state_, transform: { ...(t as object), hyperparams: { ...t.hyperparams, learningRate } } as OptimizerState['transform'] };
      }
    }
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
    if (this.state_ === undefined) {
      const fresh = this.opt.init(at, this.key);
      const n = this.pendingCount_;
      this.replace(n === undefined ? fresh : { ...fresh, count: n, transform: withCounts(fresh.transform, n) }, names);
      this.pendingCount_ = undefined;
    } else if (this.unchecked_) {
      const problems = stateProblems(this.opt, this.state_, at);
      if (problems.length > 0) throw new InteropError(`asTfOptimizer: the state set with setState/setWeights does not fit this optimizer and these variables:\n  - ${problems.join('\n  - ')}`);
      this.unchecked_ = false;
      this.names_ = names;
    }
    return this.state_ as OptimizerState;
  }

  /** commit: assign the new values to the variables that had a gradient; the skipped ones keep their value and their state entries. */
  private commit(variables: readonly tf.Variable[], names: readonly string[], r: { params: Tree; state: OptimizerState }, skip: ReadonlySet<string>): void {
    const state = keepSkipped(this.state_ as OptimizerState, r.state, names, skip);
    variables.forEach((v, i) => {
      if (!skip.has(names[i] as string)) v.assign(r.params[names[i] as string] as tf.Tensor);
    });
    disposeReplaced(r.state, state);
    this.replace(state, names);
    disposeReplaced(r.params, r.state);
  }

  /**
   * minimize(f, returnCost, varList): one optimix step on the variables (default: every trainable variable; the non-trainable ones
   * of an explicit varList are left alone), f the loss closure. As tf.train: a variable f does not reach is skipped (its value and its
   * state stay), and a loss that reaches no variable throws.
   */
  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const given = varList ?? trainableVariables();
    const trainable = given.filter((v) => v.trainable);
    if (trainable.length === 0) {
      throw new InteropError(`minimize: none of the ${given.length} variables is trainable (tf.train's variableGrads needs at least one trainable variable)`);
    }
    const { variables, names } = this.variablesAndNames(trainable);
    this.freeExtras();
    const at = this.snapshot(variables, names);
    const loss = keepOnlyFirst(f, this.extras_);
    const connected: Connected = { calls: 0, unconnected: new Map() };
    try {
      const state = this.stateFor(at, names);
      const r: StepResult = step(this.opt, variableLoss(loss, variables, names, at, connected), at, {}, state);
      const skip = skipped(connected);
      if (skip.size === names.length) {
        disposeReplaced(r.params, at);
        disposeReplaced(r.state, state);
        throw new InteropError(
          'minimize: cannot find a connection between any variable and the result of the loss function y=f(x); make sure the operations that use variables are inside the function f passed to minimize() (as tf.train)',
        );
      }
      const cost = this.lossMode === 'clean' && r.valueAt !== 'w' ? tf.tidy(() => tf.clone(loss())) : tf.scalar(r.value);
      this.commit(variables, names, r, skip);
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

  /**
   * applyGradients(grads): the transform half of a step for gradients computed elsewhere (cleanGrad sources only: a perturbed source
   * needs `minimize`). A null gradient skips its variable, as tf.train does.
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    if (this.opt.source.kind !== 'clean') {
      throw new InteropError(`applyGradients: the source ${describe(this.opt.source)} must evaluate the loss itself; call minimize(f) (as model.fit does), not applyGradients`);
    }
    const given: [string, tf.Tensor | null | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor as tf.Tensor | null | undefined])
      : Object.entries(variableGradients as Record<string, tf.Tensor | null | undefined>);
    const registered = tf.engine().registeredVariables;
    const unknown = given.map(([n]) => n).filter((n) => registered[n] === undefined);
    if (unknown.length > 0) throw new InteropError(`applyGradients: no variable named ${unknown.map((n) => `'${n}'`).join(', ')}`);
    const { variables, names } = this.variablesAndNames(given.map(([n]) => registered[n] as tf.Variable));
    const skip = new Set(given.filter(([, g]) => g == null).map(([n]) => n));
    if (skip.size === names.length) return void this.incrementIterations();
    const at = this.snapshot(variables, names);
    const zeros = given.filter(([, g]) => g == null).map(([n]) => [n, tf.zerosLike(at[n] as tf.Tensor)] as const);
    const grads: Record<string, tf.Tensor> = Object.fromEntries([...given.filter(([, g]) => g != null), ...zeros]) as Record<string, tf.Tensor>;
    try {
      this.commit(variables, names, applyGradients(this.opt, grads, this.stateFor(at, names), at), skip);
    } finally {
      for (const [, z] of zeros) z.dispose();
      disposeReplaced(at, this.state_);
    }
  }

  /** getConfig(): the optimizer as JSON (optimizerToJSON: source and rule with every hyperparameter), the key and the loss mode; `optimizer` is null when a part cannot be saved. */
  override getConfig(): tf.serialization.ConfigDict {
    let json: unknown = null;
    try {
      json = optimizerToJSON(this.opt);
    } catch {
      json = null;
    }
    let sourceJSON: unknown = null;
    try {
      sourceJSON = toJSON(this.opt.source);
    } catch {
      sourceJSON = null;
    }
    return {
      source: describe(this.opt.source),
      sourceJSON: JSON.parse(JSON.stringify(sourceJSON)) as tf.serialization.ConfigDictValue,
      optimizer: JSON.parse(JSON.stringify(json)) as tf.serialization.ConfigDictValue,
      key: [...this.key],
      loss: this.lossMode,
    };
  }

  /**
   * fromConfig(config): the working optimizer getConfig described (its registered parts rebuilt by optimizerFromJSON). When the config
   * holds no optimizer (a part held a custom function), a placeholder (`SavedOptimixOptimizer`) that keeps the saved state and refuses to train.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(_cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const json = config['optimizer'];
    if (json === null || json === undefined) return new SavedOptimixOptimizer(config) as unknown as T;
    const k = config['key'];
    const lossMode = config['loss'] === 'clean' ? 'clean' : 'step';
    return new OptimixTfOptimizer(optimizerFromJSON(json), isKey(k) ? (Object.freeze([...k]) as unknown as Key) : rootKey(0), lossMode) as unknown as T;
  }

  private freeMade(): void {
    for (const t of this.made_) if (!t.isDisposed) t.dispose();
    this.made_ = [];
    this.head_?.dispose();
    this.head_ = undefined;
  }

  /**
   * getWeights(): `iter` (the step count, int32, as tf.train), then the state: for a rule tf.train has (sgd, momentum, adam, rmsprop)
   * its weights named as tf.train names them (`<variable>/momentum`, `/m`, `/v`, `/rms`), else the state as named tensors (a JSON
   * skeleton `optimix/state`, then every state tensor by path). The tensors are the state's own (do not dispose them).
   */
  override async getWeights(): Promise<NamedTensor[]> {
    this.freeMade();
    const count = this.state_?.count ?? this.pendingCount_ ?? 0;
    const iter = tf.scalar(count, 'int32');
    this.made_.push(iter);
    const head = { name: 'iter', tensor: iter };
    if (this.state_ === undefined) return [head];
    const slots = tfSlots(this.opt.transform);
    const names = this.names_ ?? [];
    if (slots !== undefined && names.length > 0) {
      const out: NamedTensor[] = [head];
      for (const slot of slots) {
        for (const n of names) {
          let t = slot.path === null ? undefined : ((stateAt(this.state_.transform, slot.path) as Tree | undefined)?.[n] as tf.Tensor | undefined);
          if (t === undefined) {
            const v = tf.engine().registeredVariables[n];
            t = tf.zeros(v?.shape ?? [], 'float32');
            this.made_.push(t);
          }
          out.push({ name: `${n}/${slot.suffix}`, tensor: t });
        }
      }
      return out;
    }
    const w = stateToWeights(this.state_, names);
    this.head_ = w[0]?.tensor;
    return [head, ...w];
  }

  /**
   * setWeights(weights): restore a state getWeights gave (copies the tensors) — optimix's own weights, or tf.train's weights of the
   * same rule (`iter`, then `<variable>/momentum`, `/m`, `/v`, …), so a tf.train optimizer's weights load here and back.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const first = weightValues[0];
    const iter = first?.name === 'iter' ? Number(first.tensor.dataSync()[0]) : undefined;
    const rest = iter === undefined ? weightValues : weightValues.slice(1);
    if (rest.some((w) => w.name.startsWith('optimix/'))) {
      const { state, names } = weightsToState(rest);
      this.setState(state, names.length > 0 ? names : undefined);
      return;
    }
    this.setTfWeights(iter ?? 0, rest);
  }

  private setTfWeights(iter: number, weights: readonly NamedTensor[]): void {
    const slots = tfSlots(this.opt.transform);
    if (slots === undefined) {
      throw new InteropError(`setWeights: these are tf.train's weights (${weights.map((w) => w.name).slice(0, 4).join(', ')}…), and the rule ${specOf(this.opt.transform)?.kind ?? '(an unregistered transform)'} is not one of tf.train's rules (sgd, momentum, adam, rmsprop; without weight decay, rmsprop momentum or centring)`);
    }
    const bySlot = new Map(slots.map((s) => [s.suffix, [] as NamedTensor[]]));
    const problems: string[] = [];
    for (const w of weights) {
      const slash = w.name.lastIndexOf('/');
      const list = bySlot.get(w.name.slice(slash + 1));
      if (slash < 0 || list === undefined) problems.push(`'${w.name}' is not a weight of this rule (expected <variable>/${slots.map((s) => s.suffix).join(' or /')})`);
      else list.push(w);
    }
    const names = (bySlot.get(slots[0]?.suffix ?? '') ?? []).map((w) => w.name.slice(0, w.name.lastIndexOf('/')));
    const registered = tf.engine().registeredVariables;
    for (const n of names) if (registered[n] === undefined) problems.push(`no variable named '${n}' (from the weight '${n}/${slots[0]?.suffix}')`);
    for (const [suffix, list] of bySlot) {
      const got = list.map((w) => w.name.slice(0, w.name.lastIndexOf('/')));
      if (got.join('\0') !== names.join('\0')) problems.push(`the /${suffix} weights name other variables than the /${slots[0]?.suffix} ones`);
    }
    if (problems.length > 0) throw new InteropError(`setWeights:\n  - ${problems.join('\n  - ')}`);
    if (names.length === 0) {
      if (this.state_ !== undefined) this.replace({ ...this.state_, count: iter, transform: withCounts(this.state_.transform, iter) }, this.names_);
      else this.pendingCount_ = iter;
      this.iterations_ = iter;
      return;
    }
    const state = tf.tidy(() => {
      const params = Object.fromEntries(names.map((n) => [n, tf.zeros((registered[n] as tf.Variable).shape, 'float32')]));
      const fresh = this.opt.init(params, this.state_?.key ?? this.key);
      let transform = withCounts(fresh.transform, iter);
      for (const slot of slots) {
        if (slot.path === null) continue;
        const list = bySlot.get(slot.suffix) ?? [];
        transform = putAt(transform, slot.path, Object.fromEntries(names.map((n, i) => [n, tf.clone((list[i] as NamedTensor).tensor)])));
      }
      return { ...fresh, count: iter, transform } as unknown as tf.TensorContainer;
    }) as unknown as OptimizerState;
    this.setState(state, names);
  }

  /** dispose(): free the state's tensors. */
  override dispose(): void {
    if (this.state_ !== undefined) disposeTree(this.state_);
    this.freeMade();
    this.freeExtras();
    this.state_ = undefined;
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
  checkKeys('asTfOptimizer', options, ['key', 'loss']);
  return new OptimixTfOptimizer(opt, options.key ?? rootKey(0), options.loss ?? 'step');
}
