// Runs in a parallel worker: rebuild a tfjs-layers model from the data `fromModel` recorded, and give its loss.
// The one place optimix imports tfjs-layers (an optional peer dependency), and only in a worker that was asked to.
import type { LossFn } from '../model.js';
import { fromWire, type WireTensor } from '../interpret/wire.js';
import type { Tree } from '../tree.js';
import { fromModel } from './fromModel.js';
import { InteropError } from './errors.js';
import type { LayersModelLike } from './layers.js';

/** What a worker needs to rebuild a layers model: its topology, every weight in order, the loss by name, the params' names. */
export interface LayersData {
  /** `model.toJSON(null, false)`. */
  readonly topology: unknown;
  /** `model.getWeights()` (every weight, trainable or not), in order. */
  readonly weights: readonly WireTensor[];
  /** The compiled loss's name, e.g. `'categoricalCrossentropy'`. */
  readonly loss: string;
  /** The main thread's trainable-weight names, in the model's order (the keys of the params the worker is sent). */
  readonly names: readonly string[];
  readonly inputKey: string;
  readonly targetKey: string;
}

/** rebuildLayers(data): the model rebuilt with tfjs-layers (topology, weights, compiled loss), wrapped by fromModel; keys renamed to the main thread's. */
export async function rebuildLayers(data: LayersData): Promise<LossFn> {
  let tfl: typeof import('@tensorflow/tfjs-layers');
  try {
    tfl = await import('@tensorflow/tfjs-layers');
  } catch (e) {
    throw new InteropError(`fromModel in a worker: cannot import @tensorflow/tfjs-layers (install it: it is an optional peer dependency): ${(e as Error).message}`);
  }
  const model = await tfl.models.modelFromJSON({ modelTopology: data.topology as never });
  const weights = data.weights.map(fromWire);
  model.setWeights(weights);
  for (const w of weights) w.dispose();
  model.compile({ optimizer: 'sgd', loss: data.loss });
  const adapter = fromModel(model as unknown as LayersModelLike, { inputKey: data.inputKey, targetKey: data.targetKey });
  for (const t of Object.values(adapter.params)) t.dispose();
  if (adapter.names.length !== data.names.length) throw new InteropError(`fromModel in a worker: the rebuilt model has ${adapter.names.length} trainable weights, the original ${data.names.length}`);
  if (adapter.names.every((n, i) => n === data.names[i])) return adapter.loss;
  // Variable names are made unique per thread (e.g. `dense_Dense1/kernel_1` on the main thread): match them by order.
  return (p, b) => adapter.loss(Object.fromEntries(adapter.names.map((n, i) => [n, p[data.names[i] as string]])) as Tree, b);
}
