// Finds an example's text inside its JSONL line, where it appears JSON-escaped, so the editor can select exactly it.

/** Column range [start, end) of `text` in `lineText`, searching the JSON-escaped form; null when absent. */
export function textRangeInLine(lineText: string, text: string): { start: number; end: number } | null {
  const escaped = JSON.stringify(text).slice(1, -1);
  const at = lineText.indexOf(`"${escaped}"`);
  if (at >= 0) return { start: at + 1, end: at + 1 + escaped.length };
  const loose = lineText.indexOf(escaped);
  return loose >= 0 && escaped.length > 0 ? { start: loose, end: loose + escaped.length } : null;
}
