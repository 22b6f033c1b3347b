// The playground in a real browser, for tests and the screenshot script: build it with Vite (once per process, into a
// temporary folder), serve that folder on 127.0.0.1 as any static server would, and open pages in Debian's Chromium
// through playwright-core. `openView(id)` loads `#id` and waits until the view marks itself `data-state="ready"`.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export { CHROMIUM } from './chromium.js';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.bin': 'application/octet-stream', '.md': 'text/markdown' };

let built: Promise<string> | undefined;
/** buildPlayground(): the folder of a fresh production build of playground/ (made once per process). */
export function buildPlayground(): Promise<string> {
  built ??= (async () => {
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'optimix-playground-'));
    await build({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
    return outDir;
  })();
  return built;
}

/** serveStatic(dir): a plain static file server for dir (what any host would do), and its origin. */
export async function serveStatic(dir: string): Promise<{ readonly server: Server; readonly origin: string; readonly notFound: string[] }> {
  const notFound: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      notFound.push(path);
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, origin: `http://127.0.0.1:${port}`, notFound };
}

/** A served build in one Chromium, with every console error and page error collected. */
export interface PlaygroundSession {
  readonly origin: string;
  readonly browser: BrowserContext;
  readonly errors: string[];
  readonly notFound: string[];
  /** openView(id, timeout): a new tab on `#id`, once the view's root says data-state="ready" (or fails on "error"). */
  readonly openView: (id: string, timeout?: number) => Promise<Page>;
  readonly close: () => Promise<void>;
}

/** playgroundSession(viewport): build, serve and launch Chromium (headless, a fresh profile). */
export async function playgroundSession(viewport = { width: 1280, height: 860 }): Promise<PlaygroundSession> {
  const dir = await buildPlayground();
  const { server, origin, notFound } = await serveStatic(dir);
  const chromium = await launchChromium(viewport);
  const { browser } = chromium;
  const errors: string[] = [];
  const openView = async (id: string, timeout = 30_000): Promise<Page> => {
    const tab = await browser.newPage();
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${id}: ${m.text()}`);
    });
    tab.on('pageerror', (e) => errors.push(`${id}: page error: ${e.message}`));
    await tab.goto(`${origin}/#${id}`);
    await tab.waitForFunction((v) => ['ready', 'error'].includes(document.getElementById(`view-${v}`)?.dataset.state ?? ''), id, { timeout });
    const state = await tab.evaluate((v) => document.getElementById(`view-${v}`)?.dataset.state, id);
    if (state !== 'ready') throw new Error(`view ${id} failed: ${await tab.evaluate((v) => document.getElementById(`view-${v}`)?.textContent, id)}`);
    return tab;
  };
  return {
    origin,
    browser,
    errors,
    notFound,
    openView,
    close: async () => {
      await chromium.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
