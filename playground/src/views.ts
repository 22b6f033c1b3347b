// The playground's views: each a module whose `mount(root)` draws it into its own element (loaded when first shown).

/** A view: its route (`#id`), its tab's title, and its module. */
export interface ViewEntry {
  readonly id: string;
  readonly title: string;
  readonly load: () => Promise<{ readonly mount: (root: HTMLElement) => Promise<void> | void }>;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'landscapes', title: 'Loss landscapes', load: () => import('./views/landscapes.ts') },
  { id: 'live', title: 'Live network', load: () => import('./views/live.ts') },
  { id: 'learn', title: 'How SAM and RWP work', load: () => import('./views/learn.ts') },
];
