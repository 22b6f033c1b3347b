/** Base class of every error optimix throws, so callers can catch the library's errors as one kind. */
export class OptimixError extends Error {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Hyperparameters that fail validation; `problems` lists every one (not only the first). */
export class HyperparameterError extends OptimixError {
  constructor(
    /** The function that rejected its hyperparameters, e.g. `sgd`. */
    readonly where: string,
    /** Every invalid hyperparameter, one sentence each. */
    readonly problems: readonly string[],
    /** What was invalid, for the message: 'hyperparameters' (default) or 'options'. */
    what = 'hyperparameters',
  ) {
    super(`${where}: invalid ${what}:\n  - ${problems.join('\n  - ')}`);
  }
}

/** A tree (gradients, updates, state) whose names or shapes do not match the parameters. */
export class StructureError extends OptimixError {
  constructor(
    /** The function that met the mismatched tree, e.g. `step`. */
    readonly where: string,
    /** Every missing name, extra name and wrong shape, one sentence each. */
    readonly problems: readonly string[],
    /** What is wrong, for the message; default 'tree does not match the parameters'. */
    headline = 'tree does not match the parameters',
  ) {
    super(`${where}: ${headline}:\n  - ${problems.join('\n  - ')}`);
  }
}

/** An optimizer state that does not fit the optimizer or the parameters (another rule's state, a disposed one, other names); a StructureError. */
export class StateError extends StructureError {
  constructor(where: string, problems: readonly string[]) {
    super(where, problems, 'the state does not fit this optimizer and these parameters (pass the state from opt.init(params) or the previous step)');
  }
}

/** A batch that is not one batch of live tensors with one row per example; a StructureError. */
export class BatchError extends StructureError {
  constructor(where: string, problems: readonly string[]) {
    super(where, problems, 'invalid batch');
  }
}

/** NaN or ±Inf met where the caller did not ask for `applyIfFinite`. */
export class NonFiniteError extends OptimixError {}

/** A loss function that returned something other than a finite-dtype scalar tensor. */
export class LossError extends OptimixError {}
