import { fileSystem } from '#host/fs';
import { withChecksum } from './checksum.js';
import { CheckpointError } from './errors.js';
import type { Manifest } from './format.js';
import { deserialize, unreadable, type Loaded, type LoadOptions } from './deserialize.js';
import { serialize, type CheckpointInput } from './serialize.js';
import { checkKeys } from '../validate.js';

/** The manifest's file name in a checkpoint directory. */
export const MANIFEST_FILE = 'manifest.json';
const WEIGHTS_FILE = /^weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/;

type Fs = ReturnType<typeof fileSystem>;

/** writeAtomic(fs, path, bytes): write to a temporary file beside path, flush it to disk, then rename it over path. */
async function writeAtomic(fs: Fs, path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${fs.pid}-${fs.randomHex(4)}`;
  const fh = await fs.open(tmp, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

const TEMPORARY = /\.tmp-(\d+)-[0-9a-f]{8}$/;

/** removeStaleTemporaries(fs, dir): remove the temporary files of saves whose process is gone (killed mid-write). */
async function removeStaleTemporaries(fs: Fs, dir: string): Promise<void> {
  for (const f of await fs.readdir(dir)) {
    const m = TEMPORARY.exec(f);
    if (m !== null && (f.startsWith(`${MANIFEST_FILE}.`) || f.startsWith('weights-')) && Number(m[1]) !== fs.pid && !fs.isAlive(Number(m[1]))) await fs.rm(fs.join(dir, f), { force: true });
  }
}

/** What `save` wrote: the manifest and the two files' paths. */
export interface Saved {
  /** The manifest written to `manifest.json`. */
  readonly manifest: Manifest;
  /** The path of `manifest.json`. */
  readonly manifestPath: string;
  /** The path of the binary weights file. */
  readonly weightsPath: string;
}

/**
 * save(dir, { params, state, opt?, meta? }): write a checkpoint to a directory (created if needed): `manifest.json` and one
 * `weights-<crc>-<random>.bin`. Atomic: the weights file is written under a fresh name, then the manifest is written to a
 * temporary file and renamed over the old one, so a reader sees the old checkpoint or the new one, never a mix; older weights
 * files of this directory are removed afterwards. Reads tensors only; disposes nothing.
 */
export async function save(dir: string, input: CheckpointInput): Promise<Saved> {
  const fs = fileSystem('checkpoint save(dir)');
  const { manifest, weights } = serialize(input);
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemporaries(fs, dir);
  const crc = manifest.tensors.reduce((h, e) => (Math.imul(h ^ e.crc32, 0x01000193) >>> 0), 0x811c9dc5);
  const file = `weights-${crc.toString(16).padStart(8, '0')}-${fs.randomHex(4)}.bin`;
  const full: Manifest = withChecksum({ ...manifest, weights: { ...manifest.weights, file } });
  const weightsPath = fs.join(dir, file);
  const manifestPath = fs.join(dir, MANIFEST_FILE);
  await writeAtomic(fs, weightsPath, weights);
  await writeAtomic(fs, manifestPath, new TextEncoder().encode(`${JSON.stringify(full, null, 1)}\n`));
  for (const f of await fs.readdir(dir)) if (WEIGHTS_FILE.test(f) && f !== file) await fs.rm(fs.join(dir, f), { force: true });
  return { manifest: full, manifestPath, weightsPath };
}

/**
 * load(dir, { params?, opt? }): read the checkpoint `save` wrote, as fresh tensors (yours to dispose). With `params` and/or
 * `opt`, checks that the parameters have the same names and shapes and that the state is what `opt.init(params)` would make
 * (and that the fingerprints agree); throws a CheckpointError naming every difference. On failure nothing is created, disposed
 * or changed.
 */
export async function load(dir: string, options: LoadOptions = {}): Promise<Loaded> {
  checkKeys('load', options, ['params', 'opt', 'allowLearningRateChange']);
  const { join, readFile } = fileSystem('checkpoint load(dir)');
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    throw new CheckpointError('load', [`cannot read ${join(dir, MANIFEST_FILE)}: ${(e as Error).message}`]);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError('load', [`${join(dir, MANIFEST_FILE)} is not valid JSON (truncated or corrupt): ${(e as Error).message}`]);
  }
  const file = (manifest as { weights?: { file?: unknown } } | null)?.weights?.file;
  let weights: Uint8Array = new Uint8Array(0);
  const problems: string[] = [];
  if (typeof file !== 'string' || !WEIGHTS_FILE.test(file)) problems.push(`the manifest does not name a weights file (got ${JSON.stringify(file)})`);
  else {
    try {
      weights = await readFile(join(dir, file));
    } catch (e) {
      problems.push(`cannot read the weights file ${join(dir, file)}: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) throw unreadable(manifest, problems.join('; '), options, 'load');
  return deserialize(manifest, weights, options, 'load');
}
