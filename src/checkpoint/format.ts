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
  /** A JSON pointer to the tensor's first place in the manifest, e.g. `/params/dense~1kernel`. */
  readonly name: string;
  /** The same place as a list of keys and indices. */
  readonly path: readonly (string | number)[];
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** The tensor's dtype. */
  readonly dtype: StoredDtype;
  /** Where its bytes start in the weights file. */
  readonly offset: number;
  /** How many bytes it takes. */
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
  /** toJSON(opt.transform): the rule with every hyperparameter; null when a part cannot be saved; absent in older checkpoints. */
  readonly transformJSON?: Json;
}

/** A checkpoint manifest: plain JSON. Tensors in `params`/`state` appear as `{ "$tensor": name }`, the key as `{ "$key": [hi, lo] }`. */
export interface Manifest {
  /** Always `'optimix-checkpoint'`. */
  readonly format: typeof FORMAT;
  /** The format version (see `VERSION`). */
  readonly version: number;
  /** The optimizer that wrote the state, or null when `save` was given no `opt`. */
  readonly fingerprint: Fingerprint | null;
  /** The caller's own JSON (epoch, position in the data, metrics). */
  readonly meta: Json;
  /** The parameter tree, tensors as `{ "$tensor": name }`. */
  readonly params: Json;
  /** The optimizer state, tensors as `{ "$tensor": name }` and the key as `{ "$key": [hi, lo] }`. */
  readonly state: Json;
  /** Where every tensor lives in the weights file. */
  readonly tensors: readonly TensorEntry[];
  /** CRC-32 (hex) of the manifest's canonical JSON without this field: an edited manifest (a changed state.count) is detected. */
  readonly checksum?: string;
  /** The weights file. */
  readonly weights: {
    /** Its total size in bytes. */
    readonly byteLength: number;
    /** Its file name beside the manifest (absent for in-memory `serialize` output). */
    readonly file?: string;
  };
}
