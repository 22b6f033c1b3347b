import { canonical } from '../canonical.js';
import { crc32 } from './bytes.js';
import type { Manifest } from './format.js';

/** manifestChecksum(m): CRC-32 (hex) of the manifest's canonical JSON without its `checksum` field, so any edit shows. */
export function manifestChecksum(m: Readonly<Record<string, unknown>>): string {
  const { checksum: _, ...rest } = m;
  return crc32(new TextEncoder().encode(canonical(rest))).toString(16).padStart(8, '0');
}

/** withChecksum(m): the manifest with its `checksum` set to manifestChecksum(m). */
export const withChecksum = (m: Manifest): Manifest => ({ ...m, checksum: manifestChecksum(m as unknown as Record<string, unknown>) });

/** checksumProblem(m): why the manifest's checksum does not vouch for its content, or undefined when it does. */
export function checksumProblem(m: Readonly<Record<string, unknown>>): string | undefined {
  const c = m['checksum'];
  if (typeof c !== 'string') return 'the manifest has no checksum (not written by save/serialize, or edited)';
  const actual = manifestChecksum(m);
  return c === actual ? undefined : `the manifest's checksum is ${c} but its content gives ${actual}: the manifest was edited or is corrupt`;
}
