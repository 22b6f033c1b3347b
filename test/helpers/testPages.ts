// The browser tests' pages: bundle a test file for a page with esbuild (ESM, tsconfig.browser.json, which maps '#host/*'
// to the browser twins as package.json's `imports` do for dist/), in memory, and serve such bundles on 127.0.0.1 beside
// tfjs-backend-wasm's .wasm files from a tiny node:http server, with every other path a 404.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const WASM_DIR = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

/** bundleForPage(entry, external): esbuild's browser bundle of one file, in memory, with its metafile. */
export async function bundleForPage(entry: string, external: string[] = []): Promise<{ code: string; metafile: Metafile }> {
  const r = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, metafile: true, tsconfig: join(root, 'tsconfig.browser.json'), external, logLevel: 'silent' });
  return { code: r.outputFiles[0]!.text, metafile: r.metafile };
}

/** The HTML of a page that runs one module script. */
export const pageHtml = (script: string): string => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="${script}"></script>`;

/** What a path serves: its content type and body. */
export type Route = readonly [contentType: string, body: string | Uint8Array];

/** js(code): a JavaScript route. */
export const js = (code: string): Route => ['text/javascript', code];

/** What the tests watch: every request, each .wasm file served, each path not found. */
export interface PageHooks {
  readonly onRequest?: (url: string) => void;
  readonly onWasm?: (file: string) => void;
  readonly onMissing?: (url: string) => void;
}

/** servePages(routes, hooks): serve the routes and /wasm/<file>.wasm on 127.0.0.1; the server and its origin. */
export async function servePages(routes: Readonly<Record<string, Route>>, hooks: PageHooks = {}): Promise<{ readonly server: Server; readonly origin: string; readonly close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    hooks.onRequest?.(url);
    const route = routes[url];
    const wasm = /^\/wasm\/([\w.-]+\.wasm)$/.exec(url)?.[1];
    if (route !== undefined) res.writeHead(200, { 'content-type': route[0] }).end(route[1]);
    else if (wasm !== undefined && existsSync(join(WASM_DIR, wasm))) {
      hooks.onWasm?.(wasm);
      res.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(join(WASM_DIR, wasm)));
    } else {
      hooks.onMissing?.(url);
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { server, origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
