// Aligned plain-text tables for terminal output (numbers right-aligned, text left-aligned).
import { terminalText } from './terminalText';

/**
 * Lays out `rows` under `headers` with two spaces between columns. Columns listed in `rightAlign` (by index)
 * are right-aligned. Widths count UTF-16 units, which is right for the labels and numbers we print.
 */
export function formatTable(headers: readonly string[], rawRows: readonly (readonly string[])[], rightAlign: readonly number[] = [], indent = '  '): string {
  // Cells hold labels and texts from the data: a line break or a control character must not leave its cell.
  const rows = rawRows.map((r) => r.map(terminalText));
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent + cells.map((cell, c) => (rightAlign.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
