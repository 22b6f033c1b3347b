// Where tfjs-backend-wasm's binaries are served: a URL prefix, or one URL per file (what a bundler that renames assets,
// such as Vite's `?url`, gives). The form setWasmPaths takes; the parallel interpreter sends it to its workers.

/** The three binaries tfjs-backend-wasm 4.x may load (which one depends on SIMD and cross-origin isolation). */
export const WASM_FILE_NAMES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/** A URL prefix ending in `/` (e.g. '/wasm/'), or a URL per binary: `{ 'tfjs-backend-wasm-simd.wasm': url, … }`. */
export type WasmPaths = string | Readonly<Partial<Record<(typeof WASM_FILE_NAMES)[number], string>>>;

/** wasmPathsProblem(v): why v is not a WasmPaths (a sentence naming the bad part), or undefined when it is one. */
export function wasmPathsProblem(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? "wasmPaths must be a URL prefix (a non-empty string such as '/wasm/') or a URL per .wasm file, got ''" : undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `wasmPaths must be a URL prefix (a non-empty string such as '/wasm/') or a URL per .wasm file ({ 'tfjs-backend-wasm-simd.wasm': url, … }), got ${Array.isArray(v) ? 'an array' : String(v)}`;
  const entries = Object.entries(v);
  if (entries.length === 0) return 'wasmPaths: a URL per .wasm file needs at least one file';
  for (const [name, url] of entries) {
    if (!(WASM_FILE_NAMES as readonly string[]).includes(name)) return `wasmPaths: '${name}' is not one of tfjs-backend-wasm's files (${WASM_FILE_NAMES.map((n) => `'${n}'`).join(', ')})`;
    if (typeof url !== 'string' || url === '') return `wasmPaths['${name}'] must be a non-empty URL string, got ${String(url)}`;
  }
  return undefined;
}

/** describeWasmPaths(p): p for a message (the prefix, or the files it names). */
export const describeWasmPaths = (p: WasmPaths): string => (typeof p === 'string' ? `wasm prefix ${p}` : `wasm files ${Object.entries(p).map(([n, u]) => `${n} → ${u}`).join(', ')}`);
