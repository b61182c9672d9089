/**
 * The one way user data (labels, texts, file names, paths, messages) enters Markdown, on both sides of the seam:
 * `report.md` (engine) and the Markdown documents and tooltips the extension builds. Rendered, the result is the
 * same characters as plain text, whatever they are: no HTML (`<script>`, `<img onerror>`), no links or remote
 * images (`![](https://…)`), no emphasis or headings, and it stays on one line and inside one table cell (`|`, CR,
 * LF and the Unicode line separators cannot break the row). Characters a terminal or an editor would act on
 * (ESC, other C0/C1 controls, bidirectional overrides) are shown as `\u001b`-style escapes, so `cat report.md` is
 * safe too.
 */

/** Line breaks: shown as a space (a cell or list item is one line). */
const lineBreaks = /\r\n|[\r\n\u2028\u2029\u0085]/g;
/** Controls and bidirectional formatting characters, shown as visible `\uXXXX` escapes. */
const invisible = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `c` as a visible escape: `\u001b`. */
export function visibleEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` as inert inline Markdown: HTML entities for `& < >`, a backslash before every ASCII punctuation mark that
 * Markdown gives a meaning (so `[x](y)`, `![x](y)`, `*x*`, `` `x` ``, `# x` and `|` show as typed), tabs and line
 * breaks as spaces, controls as visible escapes, and bare `https://…`/`www.…` kept from becoming links. Safe in a
 * paragraph, a list item and a table cell.
 */
export function markdownText(text: string): string {
  return text
    .replace(lineBreaks, ' ')
    .replace(/\t/g, ' ')
    .replace(invisible, visibleEscape)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-!|~]/g, '\\$&')
    // GitHub turns bare `https://…` and `www.…` into links: an escape there keeps them text.
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`);
}

/**
 * `text` as the content of a Markdown code span or a line of a fenced code block, where backslash escapes do not
 * apply: a backtick becomes `'` (it would end the span or, at a line start, the fence), line breaks and tabs become
 * spaces (a new line could start a fence or leave the block), controls become visible escapes.
 */
export function markdownCodeText(text: string): string {
  return text.replace(lineBreaks, ' ').replace(/\t/g, ' ').replace(invisible, visibleEscape).replace(/`/g, "'");
}
