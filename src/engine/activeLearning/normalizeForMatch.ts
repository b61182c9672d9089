// The one rule for "the same text" in active learning: a suggestion equal to a labelled or skipped line under
// this rule is not suggested again, and one batch never holds two such texts.

/** `text` trimmed, with runs of whitespace made one space, lower-cased. */
export function normalizeForMatch(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
