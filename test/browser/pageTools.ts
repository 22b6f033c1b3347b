// What the test pages share (bundled into each page by esbuild): starting a module Web Worker and waiting for its one
// answer, and catching what a call throws as plain data the test can compare.

/** The page's Worker constructor (module workers), typed here: the project type-checks without the DOM library. */
declare const Worker: new (url: string, options: { type: 'module' }) => { onmessage: ((e: { data: unknown }) => void) | null; onerror: ((e: { message: string }) => void) | null; terminate(): void };

/** inWorker(url, ms): what the module worker at url posts first, or a failure if it errs or says nothing within ms. */
export function inWorker(url: string, ms: number): Promise<unknown> {
  return new Promise((resolve) => {
    const w = new Worker(url, { type: 'module' });
    const done = (r: unknown) => {
      clearTimeout(timer);
      w.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, error: `the worker did not answer within ${ms} ms` }), ms);
    w.onmessage = (e) => done(e.data);
    w.onerror = (e) => done({ ok: false, error: `the worker failed: ${e.message}` });
  });
}

/** thrown(fn): the name and message of what fn threw or rejected with (or 'none'). */
export async function thrown(fn: () => unknown): Promise<{ name: string; message: string }> {
  try {
    await fn();
    return { name: 'none', message: '' };
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
}
