/** Saved state: parameters and optimizer state as a JSON manifest plus one little-endian binary file, keyed by path. */
export { CheckpointError } from './errors.js';
export { FORMAT as CHECKPOINT_FORMAT, VERSION as CHECKPOINT_VERSION, type Manifest, type TensorEntry, type StoredDtype, type Fingerprint, type Json } from './format.js';
export { serialize, type CheckpointInput, type Serialized } from './serialize.js';
export { deserialize, type LoadOptions, type Loaded } from './deserialize.js';
export { fingerprint, sameRule } from './fingerprint.js';
export { save, load, MANIFEST_FILE, type Saved } from './files.js';
