/** Base class of every error optimix throws, so callers can catch the library's errors as one kind. */
export class OptimixError extends Error {
  constructor(message: string) {
    super(message);
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
  ) {
    super(`${where}: invalid hyperparameters:\n  - ${problems.join('\n  - ')}`);
  }
}

/** A tree (gradients, updates, state) whose names or shapes do not match the parameters. */
export class StructureError extends OptimixError {
  constructor(
    /** The function that met the mismatched tree, e.g. `step`. */
    readonly where: string,
    /** Every missing name, extra name and wrong shape, one sentence each. */
    readonly problems: readonly string[],
  ) {
    super(`${where}: tree does not match the parameters:\n  - ${problems.join('\n  - ')}`);
  }
}

/** NaN or ±Inf met where the caller did not ask for `applyIfFinite`. */
export class NonFiniteError extends OptimixError {}

/** A loss function that returned something other than a finite-dtype scalar tensor. */
export class LossError extends OptimixError {}
