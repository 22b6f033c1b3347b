import { OptimixError } from '../errors.js';

/** Something optimix cannot do through tfjs-layers (a batch it cannot see, a model it cannot read), said plainly. */
export class InteropError extends OptimixError {}
