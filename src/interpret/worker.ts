// A gradient worker: its own tfjs WASM backend; evaluates resolved gradient-source nodes on the tensors it is sent.
import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import { ready, type BackendName } from '../backend.js';
import '../kernels/index.js';
import type { LossFn } from '../model.js';
import { fromWords } from '../random.js';
import type { ResolvedSource } from '../source/resolved.js';
import { evaluate } from './evaluate.js';
import { loadLoss, type ModelRef } from './modelRef.js';
import { transferList, treeFromWire, treeToWire, type WireTree } from './wire.js';

/** A request to evaluate one node. */
export interface EvalRequest {
  readonly id: number;
  readonly node: ResolvedSource;
  readonly params: WireTree;
  readonly batch: WireTree;
  readonly stepKey: readonly [number, number];
  readonly state: Readonly<Record<string, WireTree>>;
}

/** The answer: the node's gradient, loss, where it was taken, new node state, and the gradient evaluations made. */
export type EvalReply =
  | { readonly id: number; readonly ok: true; readonly grads: WireTree; readonly loss: number; readonly at: 'w' | 'w+ε'; readonly state: Record<string, WireTree>; readonly gradEvals: number }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly name: string };

const port = parentPort;
if (port === null) throw new Error('optimix worker: must run in a worker thread');
const { model, backend } = workerData as { model: ModelRef; backend: BackendName };

const start = (async (): Promise<LossFn> => {
  await ready({ backend, onFallback: () => undefined });
  return loadLoss(model);
})();
start.then(
  () => port.postMessage({ ready: true, backend: tf.getBackend() }),
  (e: unknown) => port.postMessage({ ready: false, error: e instanceof Error ? e.message : String(e) }),
);

port.on('message', (req: EvalRequest) => {
  void start.then((loss) => {
    try {
      type Out = Omit<EvalReply & { ok: true }, 'id' | 'ok'>;
      const out = tf.tidy((): tf.TensorContainer => {
        const params = treeFromWire(req.params);
        const batch = treeFromWire(req.batch);
        const state = Object.fromEntries(Object.entries(req.state).map(([p, t]) => [p, treeFromWire(t)]));
        const ev = evaluate(req.node, params, batch, { loss, stepKey: fromWords(req.stepKey), state });
        const newState = Object.fromEntries(Object.entries(ev.state).map(([p, t]) => [p, treeToWire(t)]));
        const o: Out = { grads: treeToWire(ev.grads), loss: ev.loss.dataSync()[0] as number, at: ev.at, state: newState, gradEvals: ev.gradEvals };
        return o as unknown as tf.TensorContainer;
      }) as unknown as Out;
      const reply: EvalReply = { id: req.id, ok: true, ...out };
      port.postMessage(reply, transferList(out.grads, ...Object.values(out.state)));
    } catch (e) {
      const reply: EvalReply = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' };
      port.postMessage(reply);
    }
  });
});
