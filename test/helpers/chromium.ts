// Debian's Chromium for the browser tests, driven by playwright-core (which downloads no browser; .ci/run installs the
// `chromium` package when it is missing): headless, in a fresh profile that `close()` removes.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** A running Chromium and how to end it (the browser closed, its profile removed). */
export interface Chromium {
  readonly browser: BrowserContext;
  readonly close: () => Promise<void>;
}

/** launchChromium(viewport): Chromium, headless, with a fresh profile (--user-data-dir: launchPersistentContext's first argument). */
export async function launchChromium(viewport?: { readonly width: number; readonly height: number }): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`);
  const profile = mkdtempSync(join(tmpdir(), 'optimix-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(viewport === undefined ? {} : { viewport }),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
