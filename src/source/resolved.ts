// A gradient source instantiated for one step (every hyperparameter a number, every mask a list of names, every node
// labelled with its path): plain JSON, what an interpreter runs and a worker receives. Built-ins' shapes: see their files.
export type { ResolvedSource, ResolvedPerturbation } from './node.js';
