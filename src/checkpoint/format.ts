/** The JSON values a manifest holds. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** The `format` field of every optimix checkpoint manifest. */
export const FORMAT = 'optimix-checkpoint';
/** The manifest version this code writes and reads. */
export const VERSION = 1;

/** The dtypes a checkpoint stores: little-endian float32 and int32, and bool as one byte per element. */
export type StoredDtype = 'float32' | 'int32' | 'bool';
/** Bytes per element of each stored dtype. */
export const BYTES: Readonly<Record<StoredDtype, number>> = { float32: 4, int32: 4, bool: 1 };
/** isStoredDtype(d): whether a checkpoint can hold tensors of dtype d. */
export const isStoredDtype = (d: unknown): d is StoredDtype => d === 'float32' || d === 'int32' || d === 'bool';

/** Where one tensor lives: its name (a JSON pointer to its first place in the structure), path, shape, dtype and bytes in the weights file. */
export interface TensorEntry {
  readonly name: string;
  readonly path: readonly (string | number)[];
  readonly shape: readonly number[];
  readonly dtype: StoredDtype;
  readonly offset: number;
  readonly byteLength: number;
  /** CRC-32 of the tensor's bytes. */
  readonly crc32: number;
}

/** The optimizer's identity as far as it can be seen: the source (formula and JSON) and the shape of the state it keeps. */
export interface Fingerprint {
  /** describe(opt.source). */
  readonly source: string;
  /** toJSON(opt.source), or null when the source holds a custom function. */
  readonly sourceJSON: Json;
  /** The transform's state structure: leaf kinds, shapes; subtrees shaped like the parameters shown as "params". */
  readonly transform: Json;
  /** The source's state structure (ARWP's F), same notation. */
  readonly sourceState: Json;
}

/** A checkpoint manifest: plain JSON. Tensors in `params`/`state` appear as `{ "$tensor": name }`, the key as `{ "$key": [hi, lo] }`. */
export interface Manifest {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly fingerprint: Fingerprint | null;
  readonly meta: Json;
  readonly params: Json;
  readonly state: Json;
  readonly tensors: readonly TensorEntry[];
  readonly weights: { readonly byteLength: number; readonly file?: string };
}
