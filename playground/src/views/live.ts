// Placeholder until this view lands: the shell loads every view module listed in views.ts.
export function mount(root: HTMLElement): void {
  root.textContent = 'live';
  root.dataset.state = 'ready';
  root.dataset.shot = 'ready';
}
