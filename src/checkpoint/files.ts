import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withChecksum } from './checksum.js';
import { CheckpointError } from './errors.js';
import type { Manifest } from './format.js';
import { deserialize, unreadable, type Loaded, type LoadOptions } from './deserialize.js';
import { serialize, type CheckpointInput } from './serialize.js';
import { checkKeys } from '../validate.js';

/** The manifest's file name in a checkpoint directory. */
export const MANIFEST_FILE = 'manifest.json';
const WEIGHTS_FILE = /^weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/;

/** writeAtomic(path, bytes): write to a temporary file beside path, flush it to disk, then rename it over path. */
async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

const TEMPORARY = /\.tmp-(\d+)-[0-9a-f]{8}$/;

/** isAlive(pid): whether a process with this id runs on this machine (signal 0 tests without sending). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** removeStaleTemporaries(dir): remove the temporary files of saves whose process is gone (killed mid-write). */
async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const f of await readdir(dir)) {
    const m = TEMPORARY.exec(f);
    if (m !== null && (f.startsWith(`${MANIFEST_FILE}.`) || f.startsWith('weights-')) && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) await rm(join(dir, f), { force: true });
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
  const { manifest, weights } = serialize(input);
  await mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir);
  const crc = manifest.tensors.reduce((h, e) => (Math.imul(h ^ e.crc32, 0x01000193) >>> 0), 0x811c9dc5);
  const file = `weights-${crc.toString(16).padStart(8, '0')}-${randomBytes(4).toString('hex')}.bin`;
  const full: Manifest = withChecksum({ ...manifest, weights: { ...manifest.weights, file } });
  const weightsPath = join(dir, file);
  const manifestPath = join(dir, MANIFEST_FILE);
  await writeAtomic(weightsPath, weights);
  await writeAtomic(manifestPath, new TextEncoder().encode(`${JSON.stringify(full, null, 1)}\n`));
  for (const f of await readdir(dir)) if (WEIGHTS_FILE.test(f) && f !== file) await rm(join(dir, f), { force: true });
  return { manifest: full, manifestPath, weightsPath };
}

/**
 * load(dir, { params?, opt? }): read the checkpoint `save` wrote, as fresh tensors (yours to dispose). With `params` and/or
 * `opt`, checks that the parameters have the same names and shapes and that the state is what `opt.init(params)` would make
 * (and that the fingerprints agree); throws a CheckpointError naming every difference. On failure nothing is created, disposed
 * or changed.
 */
export async function load(dir: string, options: LoadOptions = {}): Promise<Loaded> {
  checkKeys('load', options, ['params', 'opt']);
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
