// A small Markdown renderer for the subset docs/methods pages use: headings, paragraphs, bullet and numbered lists,
// fenced and indented code, tables, block quotes, and inline code, links, **bold** and *emphasis*. Everything from the
// source is HTML-escaped; HTML comments (the pages' `<!-- check: … -->` markers) are dropped; links go through the
// caller's `link` so relative ones can be resolved (or left as text).

/** escapeHtml(s): s with & < > " ' escaped. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A link resolver: (href, the link text as HTML) → the HTML to write. */
export type LinkFn = (href: string, html: string) => string;

/** slug(text): a heading's id, lower-case words joined by '-'. */
export const slug = (text: string): string => text.toLowerCase().replace(/[`*]/g, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');

/** emphasis(html): **bold** and *em* in already-escaped text. */
const emphasis = (h: string): string => h.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[^\w*])\*([^*\s][^*]*?)\*(?!\w)/g, '$1<em>$2</em>');

/** codeAndEmphasis(text): code spans, and emphasis in the text between them. */
const codeAndEmphasis = (text: string): string =>
  text
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : emphasis(escapeHtml(part))))
    .join('');

/** inline(text, link): a line's inline Markdown as HTML (links first, then code spans, then emphasis). */
export function inline(text: string, link: LinkFn): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)) {
    out += codeAndEmphasis(text.slice(last, m.index));
    out += link(m[2] as string, codeAndEmphasis(m[1] as string));
    last = (m.index as number) + m[0].length;
  }
  return out + codeAndEmphasis(text.slice(last));
}

const cells = (row: string): string[] => row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
const isTableRule = (s: string | undefined): boolean => s !== undefined && /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(s);
const LIST = /^(\s*)([-*+]|\d+\.)\s+(.*)$/;

/** renderMarkdown(md, link): the page as HTML. */
export function renderMarkdown(md: string, link: LinkFn = (_h, html) => html): string {
  const lines = md.replace(/<!--[\s\S]*?-->/g, '').replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  const startsBlock = (s: string): boolean => /^(#{1,6}\s|```|>|\s{0,3}([-*+]|\d+\.)\s)/.test(s) || s.startsWith('    ') || (s.trimStart().startsWith('|') && isTableRule(lines[i + 1]));
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*$/.exec(line);
    if (h !== null) {
      const n = (h[1] as string).length;
      out.push(`<h${n} id="${escapeHtml(slug(h[2] as string))}">${inline(h[2] as string, link)}</h${n}>`);
      i++;
      continue;
    }
    const fence = /^```\s*([\w-]*)/.exec(line);
    if (fence !== null) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string);
      i++;
      out.push(`<pre><code${fence[1] ? ` class="language-${escapeHtml(fence[1])}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.startsWith('    ')) {
      const body: string[] = [];
      while (i < lines.length && ((lines[i] as string).startsWith('    ') || ((lines[i] as string).trim() === '' && (lines[i + 1] ?? '').startsWith('    ')))) body.push((lines[i++] as string).slice(4));
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trimStart().startsWith('|') && isTableRule(lines[i + 1])) {
      const head = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && (lines[i] as string).trimStart().startsWith('|'); i++) rows.push(cells(lines[i] as string));
      const tr = (cs: string[], tag: string) => `<tr>${cs.map((c) => `<${tag}>${inline(c, link)}</${tag}>`).join('')}</tr>`;
      out.push(`<table><thead>${tr(head, 'th')}</thead><tbody>${rows.map((r) => tr(r, 'td')).join('')}</tbody></table>`);
      continue;
    }
    if (line.startsWith('>')) {
      const body: string[] = [];
      while (i < lines.length && (lines[i] as string).startsWith('>')) body.push((lines[i++] as string).replace(/^>\s?/, ''));
      out.push(`<blockquote>${renderMarkdown(body.join('\n'), link)}</blockquote>`);
      continue;
    }
    const item = LIST.exec(line);
    if (item !== null) {
      const ordered = /\d/.test(item[2] as string);
      const items: string[] = [];
      while (i < lines.length) {
        const m = LIST.exec(lines[i] as string);
        if (m === null || /\d/.test(m[2] as string) !== ordered) break;
        const text = [m[3] as string];
        for (i++; i < lines.length && /^\s{2,}\S/.test(lines[i] as string) && !LIST.test(lines[i] as string); i++) text.push((lines[i] as string).trim());
        items.push(`<li>${inline(text.join(' '), link)}</li>`);
        while (i < lines.length && (lines[i] as string).trim() === '' && LIST.test(lines[i + 1] ?? '')) i++;
      }
      out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && (para.length === 0 || !startsBlock(lines[i] as string))) para.push((lines[i++] as string).trim());
    out.push(`<p>${inline(para.join(' '), link)}</p>`);
  }
  return out.join('\n');
}
