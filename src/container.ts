/**
 * One self-describing binary file holding a JSON header and a binary payload (a checkpoint's manifest and weights, a
 * dataset's description and arrays). Layout, little-endian:
 *
 *     [0, 8)    magic, 8 ASCII bytes naming the kind ('OPTIMIXC' checkpoint, 'OPTIMIXD' dataset)
 *     [8, 12)   container version (u32, 1)
 *     [12, 16)  JSON byte length J (u32)
 *     [16, 24)  payload byte length P (u64)
 *     [24, 28)  CRC-32 of the JSON bytes
 *     [28, 32)  CRC-32 of bytes [0, 28) (the header itself)
 *     [32, 32 + J)            the JSON, UTF-8
 *     zero bytes up to a multiple of 8
 *     then P payload bytes, and nothing after them.
 */
import { crc32 } from './checkpoint/bytes.js';

/** The container version this code writes and reads. */
export const CONTAINER_VERSION = 1;
/** Bytes before the JSON. */
export const HEADER_BYTES = 32;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const pad8 = (n: number): number => Math.ceil(n / 8) * 8;
const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** The kinds of container and their magic bytes. */
export const MAGIC = { checkpoint: 'OPTIMIXC', dataset: 'OPTIMIXD' } as const;
/** A container kind. */
export type ContainerKind = keyof typeof MAGIC;

/** pack(kind, json, payload): header + JSON (UTF-8) + padding + payload, as one new Uint8Array. */
export function pack(kind: ContainerKind, json: string, payload: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(json);
  const start = pad8(HEADER_BYTES + text.length);
  const out = new Uint8Array(start + payload.length);
  const view = new DataView(out.buffer);
  out.set(ascii(MAGIC[kind]), 0);
  view.setUint32(8, CONTAINER_VERSION, true);
  view.setUint32(12, text.length, true);
  view.setBigUint64(16, BigInt(payload.length), true);
  view.setUint32(24, crc32(text), true);
  view.setUint32(28, crc32(out.subarray(0, 28)), true);
  out.set(text, HEADER_BYTES);
  out.set(payload, start);
  return out;
}

/** What unpack found: the JSON text and a view of the payload, or every problem that stops reading. */
export type Unpacked = { readonly ok: true; readonly json: string; readonly payload: Uint8Array } | { readonly ok: false; readonly problems: readonly string[] };

/** unpack(kind, bytes): the JSON text and payload of a container of this kind; problems name truncation, a wrong kind, a corrupt header or JSON. */
export function unpack(kind: ContainerKind, bytes: Uint8Array): Unpacked {
  const what = `an optimix ${kind} file`;
  const fail = (...problems: string[]): Unpacked => ({ ok: false, problems });
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (bytes.length < 8 || magic !== MAGIC[kind]) {
    const other = (Object.keys(MAGIC) as ContainerKind[]).find((k) => MAGIC[k] === magic);
    if (other !== undefined) return fail(`this is an optimix ${other} file, not ${what}`);
    if (bytes.length < 8 && ascii(MAGIC[kind].slice(0, bytes.length)).every((b, i) => b === bytes[i])) return fail(`only ${bytes.length} bytes: truncated (${what} starts with a ${HEADER_BYTES}-byte header)`);
    return fail(`not ${what}: it starts with ${JSON.stringify(magic)}, expected ${JSON.stringify(MAGIC[kind])}`);
  }
  if (bytes.length < HEADER_BYTES) return fail(`only ${bytes.length} bytes: truncated (${what} starts with a ${HEADER_BYTES}-byte header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerCrc = crc32(bytes.subarray(0, 28));
  if (view.getUint32(28, true) !== headerCrc) return fail(`the header is corrupt: its CRC-32 is ${hex(view.getUint32(28, true))}, its bytes give ${hex(headerCrc)}`);
  const version = view.getUint32(8, true);
  if (version !== CONTAINER_VERSION) return fail(`container version mismatch: the file has version ${version}, this optimix reads version ${CONTAINER_VERSION}`);
  const jsonLength = view.getUint32(12, true);
  const payloadLength = Number(view.getBigUint64(16, true));
  const start = pad8(HEADER_BYTES + jsonLength);
  const expected = start + payloadLength;
  if (bytes.length < expected) return fail(`the file is truncated: it has ${bytes.length} bytes, its header announces ${expected} (${jsonLength} bytes of JSON, ${payloadLength} of data)`);
  if (bytes.length > expected) return fail(`the file has ${bytes.length - expected} bytes after the end its header announces (${expected} bytes): corrupt, or two files joined`);
  const text = bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength);
  const textCrc = crc32(text);
  if (view.getUint32(24, true) !== textCrc) return fail(`the JSON part fails its CRC-32 check (header says ${hex(view.getUint32(24, true))}, its bytes give ${hex(textCrc)}): corrupt`);
  return { ok: true, json: new TextDecoder().decode(text), payload: bytes.subarray(start, expected) };
}

/** asBytes(x): the bytes of an ArrayBuffer or typed array view (no copy), or undefined for anything else. */
export function asBytes(x: unknown): Uint8Array | undefined {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return undefined;
}
