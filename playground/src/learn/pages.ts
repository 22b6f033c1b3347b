// The docs/methods pages, imported as text at build time (a new page appears here without editing the view), in
// teaching order: the baseline, SAM, the RWP family, then the rest by name.

/** A method page: its id (the file name without .md), its title (the first `# ` heading), and its Markdown. */
export interface MethodPage {
  readonly id: string;
  readonly title: string;
  readonly md: string;
}

const FILES = import.meta.glob('../../../docs/methods/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const FIRST = ['sgd', 'sam', 'rwp', 'm-rwp', 'arwp', 'm-arwp'];

/** pageOrder(a, b): the teaching order of two ids. */
const rank = (id: string): number => (FIRST.includes(id) ? FIRST.indexOf(id) : FIRST.length);

/** PAGES: every docs/methods page. */
export const PAGES: readonly MethodPage[] = Object.entries(FILES)
  .map(([path, md]) => {
    const id = (path.split('/').pop() as string).replace(/\.md$/, '');
    const title = /^#\s+(.+)$/m.exec(md)?.[1]?.trim() ?? id;
    return { id, title, md };
  })
  .sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
