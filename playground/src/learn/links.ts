// Where a method page's links go in the playground: another method page opens in this view; a source file of the
// repository opens inline (bundled text, see code.ts); a web address opens in a new tab; any other repository file
// (docs/performance.md, …) is not part of the site, so its text stays, marked, without a dead link.
import { hasCode, repoPath } from './code.ts';
import { escapeHtml, type LinkFn } from './markdown.ts';

/** pageLinks(ids): the link resolver for pages whose ids are listed. */
export function pageLinks(ids: readonly string[]): LinkFn {
  return (href, html) => {
    const page = /^(?:\.\/)?([\w-]+)\.md(?:#([\w-]+))?$/.exec(href);
    if (page !== null && ids.includes(page[1] as string)) {
      return `<a href="#learn?page=${escapeHtml(page[1] as string)}" data-page="${escapeHtml(page[1] as string)}"${page[2] ? ` data-anchor="${escapeHtml(page[2])}"` : ''}>${html}</a>`;
    }
    const path = repoPath(href);
    if (path !== undefined && hasCode(path)) return `<a href="#learn" class="lr-code" data-code="${escapeHtml(path)}" title="show ${escapeHtml(path)}">${html}</a>`;
    if (/^https?:\/\//.test(href)) return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${html}</a>`;
    const name = href.replace(/^(\.\.\/)+/, '').replace(/^(?!docs\/|src\/|examples\/)/, 'docs/');
    return `<span class="lr-ref" title="${escapeHtml(name)} in the repository">${html}</span>`;
  };
}
