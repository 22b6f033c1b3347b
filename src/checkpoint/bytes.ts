import type { StoredDtype } from './format.js';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** crc32(bytes): the CRC-32 (IEEE, as zip and PNG) of some bytes, an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Typed = Float32Array | Int32Array | Uint8Array;

/** toLittleEndian(data, dtype): the elements' bytes in little-endian order (a copy). */
export function toLittleEndian(data: Typed, dtype: StoredDtype): Uint8Array {
  const bytes = new Uint8Array(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); // a copy
  if (LITTLE_ENDIAN || dtype === 'bool') return bytes;
  for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  return bytes;
}

/** fromLittleEndian(bytes, dtype): a typed array of the elements the little-endian bytes hold (a copy, aligned). */
export function fromLittleEndian(bytes: Uint8Array, dtype: StoredDtype): Typed {
  const copy = new Uint8Array(bytes); // a copy with its own aligned buffer (Buffer#slice would be a view)
  if (dtype === 'bool') return copy;
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse();
  return dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
}
