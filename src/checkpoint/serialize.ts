import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerState } from '../optimizer.js';
import { fromWords, isKey } from '../random.js';
import type { Tree } from '../tree.js';
import { crc32, toLittleEndian } from './bytes.js';
import { withChecksum } from './checksum.js';
import { CheckpointError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import { BYTES, FORMAT, VERSION, type Json, type Manifest, type StoredDtype, type TensorEntry } from './format.js';
import { encode, newContext } from './structure.js';
import { keyProblems } from '../validate.js';

/** What a checkpoint holds: parameters, optimizer state, and optionally the optimizer (for its fingerprint) and your own JSON. */
export interface CheckpointInput {
  /** The parameters to save. */
  readonly params: Tree;
  /** The optimizer state to save (from `opt.init`, `step` or `train`). */
  readonly state: OptimizerState;
  /** The optimizer that made the state; its fingerprint is recorded so that `load` can detect another rule. */
  readonly opt?: Optimizer;
  /** Anything JSON (epoch, data position, metrics); returned by `load` as is. */
  readonly meta?: Json;
}

/** A checkpoint in memory: the JSON manifest and the bytes of every tensor. */
export interface Serialized {
  /** The manifest, a JSON-safe object. */
  readonly manifest: Manifest;
  /** Every tensor's bytes, concatenated (little-endian), as the manifest's entries locate them. */
  readonly weights: Uint8Array;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * serialize({ params, state, opt?, meta? }): the checkpoint as { manifest (JSON), weights (bytes) }. Pure: reads tensors
 * (dataSync), disposes and changes nothing; the same inputs give the same bytes. Throws CheckpointError naming every leaf
 * that is not plain data.
 */
export function serialize(input: CheckpointInput): Serialized {
  const ctx = newContext();
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null) throw new CheckpointError('serialize', ['expected { params, state, opt?, meta? }']);
  problems.push(...keyProblems(input, ['params', 'state', 'opt', 'meta'], 'the checkpoint input'));
  if (typeof input.params !== 'object' || input.params === null || Object.keys(input.params).length === 0) problems.push('params must be a non-empty named tree of tensors');
  if (typeof input.state !== 'object' || input.state === null) problems.push('state must be an optimizer state (from opt.init or a step)');
  if (typeof input.params === 'object' && input.params !== null) {
    for (const [n, t] of Object.entries(input.params)) {
      if (!(t instanceof tf.Tensor)) problems.push(`params['${n}'] is not a tensor`);
      else if (t.dtype !== 'float32') problems.push(`params['${n}'] has dtype ${t.dtype}; parameters must be float32`);
    }
  }
  const params = encode(input.params, ['params'], ctx);
  let state: Json = null;
  if (typeof input.state === 'object' && input.state !== null) {
    const { count, key: k } = input.state;
    if (!Number.isSafeInteger(count) || count < 0) problems.push(`state.count must be an integer ≥ 0, got ${String(count)}`);
    if (!isKey(k)) problems.push(`state.key must be a key made by key(seed), got ${JSON.stringify(k)}`);
    // The key is stored as its two words even if it lost its frozen mark on the way (a spread, a structured clone).
    state = encode(isKey(k) ? { ...input.state, key: fromWords(k) } : input.state, ['state'], ctx);
  }
  let meta: Json = null;
  try {
    meta = input.meta === undefined ? null : (JSON.parse(JSON.stringify(input.meta)) as Json);
  } catch (e) {
    problems.push(`meta must be JSON: ${(e as Error).message}`);
  }
  problems.push(...ctx.problems);
  if (problems.length > 0) throw new CheckpointError('serialize', problems);

  const chunks: Uint8Array[] = [];
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const ref of ctx.tensors) {
    const dtype = ref.tensor.dtype as StoredDtype;
    const bytes = toLittleEndian(ref.tensor.dataSync() as Float32Array | Int32Array | Uint8Array, dtype);
    if (bytes.length !== ref.tensor.size * BYTES[dtype]) throw new CheckpointError('serialize', [`${ref.name}: read ${bytes.length} bytes for ${ref.tensor.size} ${dtype} elements`]);
    tensors.push({ name: ref.name, path: ref.path, shape: [...ref.tensor.shape], dtype, offset, byteLength: bytes.length, crc32: crc32(bytes) });
    chunks.push(bytes);
    offset += bytes.length;
    const pad = align4(offset) - offset;
    if (pad > 0) {
      chunks.push(new Uint8Array(pad));
      offset += pad;
    }
  }
  const weights = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    weights.set(c, at);
    at += c.length;
  }
  const manifest: Manifest = withChecksum({
    format: FORMAT,
    version: VERSION,
    fingerprint: input.opt === undefined ? null : fingerprint(input.opt, input.params),
    meta,
    params,
    state,
    tensors,
    weights: { byteLength: weights.length },
  });
  return { manifest, weights };
}
