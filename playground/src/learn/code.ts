// The repository's source files a method page links to (`../../src/…`, `../../examples/…`), bundled as text and
// loaded when the reader opens one, so "the code that implements it" is one click away in the static site.

const FILES = {
  ...import.meta.glob('../../../src/**/*.ts', { query: '?raw', import: 'default' }),
  ...import.meta.glob('../../../examples/*.ts', { query: '?raw', import: 'default' }),
} as Record<string, () => Promise<string>>;

/** repoPath(href): the repository path a page's relative link names (e.g. `src/perturbation/filterNoise.ts`), or undefined. */
export function repoPath(href: string): string | undefined {
  const m = /^(?:\.\.\/)+((?:src|examples)\/[^#?]+\.ts)$/.exec(href);
  return m?.[1];
}

/** hasCode(path): whether that file is bundled. */
export const hasCode = (path: string): boolean => `../../../${path}` in FILES;

/** loadCode(path): the file's text. */
export async function loadCode(path: string): Promise<string> {
  const load = FILES[`../../../${path}`];
  if (load === undefined) throw new Error(`${path} is not bundled with the playground`);
  return load();
}
