/** A checkpoint as one self-describing binary file (src/container.ts: magic 'OPTIMIXC', manifest JSON, weights), as bytes or a Blob. */
import { asBytes, pack, unpack } from '../container.js';
import { deserialize, type Loaded, type LoadOptions } from './deserialize.js';
import { CheckpointError } from './errors.js';
import { serialize, type CheckpointInput, type Serialized } from './serialize.js';
import { keyProblems } from '../validate.js';

/** The media type of the Blob `toBlob` makes. */
export const CHECKPOINT_MEDIA_TYPE = 'application/x-optimix-checkpoint';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** serialized(input, where): `input` itself when it is serialize's output, else serialize(input); mixed or malformed input is refused. */
export function serialized(input: CheckpointInput | Serialized, where: string): Serialized {
  if (!isObject(input)) throw new CheckpointError(where, ['expected serialize() output { manifest, weights } or a checkpoint input { params, state, opt?, meta? }']);
  if (!('manifest' in input) && !('weights' in input)) return serialize(input as CheckpointInput);
  const problems = keyProblems(input, ['manifest', 'weights'], 'the serialized checkpoint');
  const { manifest, weights } = input as Partial<Serialized>;
  if (!isObject(manifest)) problems.push('manifest must be the manifest object serialize() returned');
  if (!(weights instanceof Uint8Array)) problems.push('weights must be the Uint8Array serialize() returned');
  if (problems.length > 0) throw new CheckpointError(where, problems);
  return input as Serialized;
}

/**
 * packCheckpoint(serialized | { params, state, opt?, meta? }): the checkpoint as one file's bytes — a 32-byte header (magic
 * 'OPTIMIXC', version, lengths, CRC-32s), the manifest JSON, the weights. Reads tensors only; the same input gives the same bytes.
 */
export function packCheckpoint(input: CheckpointInput | Serialized): Uint8Array {
  const { manifest, weights } = serialized(input, 'packCheckpoint');
  return pack('checkpoint', JSON.stringify(manifest), weights);
}

/**
 * unpackCheckpoint(bytes, { params?, opt?, allowLearningRateChange? }): the checkpoint packCheckpoint made, as fresh tensors, after
 * deserialize's checks (checksum, CRC-32 per tensor, against params/opt); a truncated, corrupt or foreign file is a CheckpointError
 * naming what is wrong, and nothing is created.
 */
export function unpackCheckpoint(bytes: Uint8Array | ArrayBuffer, options: LoadOptions = {}): Loaded {
  return readPacked(bytes, options, 'unpackCheckpoint');
}

/** readPacked(bytes, options, where): unpackCheckpoint, with errors naming `where`. */
export function readPacked(bytes: unknown, options: LoadOptions, where: string): Loaded {
  const b = asBytes(bytes);
  if (b === undefined) throw new CheckpointError(where, [`expected the bytes of a checkpoint (Uint8Array or ArrayBuffer), got ${bytes === null ? 'null' : typeof bytes}`]);
  const u = unpack('checkpoint', b);
  if (!u.ok) throw new CheckpointError(where, [...u.problems, ...keyProblems(options, ['params', 'opt', 'allowLearningRateChange'])]);
  let manifest: unknown;
  try {
    manifest = JSON.parse(u.json);
  } catch (e) {
    throw new CheckpointError(where, [`the manifest is not valid JSON: ${(e as Error).message}`]);
  }
  return deserialize(manifest, u.payload, options, where);
}

/** toBlob(serialized | { params, state, opt?, meta? }): the checkpoint as one Blob (packCheckpoint's bytes, type application/x-optimix-checkpoint), for a download or storage. */
export function toBlob(input: CheckpointInput | Serialized): Blob {
  const bytes = packCheckpoint(input);
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: CHECKPOINT_MEDIA_TYPE }); // packCheckpoint allocates a plain ArrayBuffer, never a shared one
}

/** fromBlob(blob, { params?, opt?, allowLearningRateChange? }): the checkpoint in a Blob toBlob made (or a File the user picked), as unpackCheckpoint reads it. */
export async function fromBlob(blob: Blob, options: LoadOptions = {}): Promise<Loaded> {
  if (typeof Blob === 'undefined' || !(blob instanceof Blob)) {
    const got = blob === null ? 'null' : typeof blob === 'object' ? (Object.getPrototypeOf(blob)?.constructor?.name ?? 'an object') : typeof blob;
    throw new CheckpointError('fromBlob', [`expected a Blob (or File), got ${got}${asBytes(blob) === undefined ? '' : ' (for bytes, use unpackCheckpoint)'}`]);
  }
  return readPacked(new Uint8Array(await blob.arrayBuffer()), options, 'fromBlob');
}
