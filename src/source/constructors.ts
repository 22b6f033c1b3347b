// The built-in source constructors, each defined (and registered) in its own file.
export { cleanGrad } from './clean.js';
export { perturbedGrad } from './perturbed.js';
export { mix } from './mix.js';
