// Special tokens written in the raw text ("[SEP]") are matched before normalisation and map straight to
// their id, as Hugging Face tokenizers do with added tokens.

/** A piece of text: either plain text to tokenise, or the id of a special token found in it. */
export type TextSection = { text: string } | { id: number };

/**
 * Splits `text` at every occurrence of a special token, leftmost first and longest on ties.
 * @param specials special token string → id (only tokens the vocabulary has)
 */
export function splitSpecialTokens(text: string, specials: ReadonlyMap<string, number>): TextSection[] {
  const sections: TextSection[] = [];
  let from = 0;
  for (;;) {
    let bestAt = -1;
    let best = '';
    for (const token of specials.keys()) {
      const at = text.indexOf(token, from);
      if (at >= 0 && (bestAt < 0 || at < bestAt || (at === bestAt && token.length > best.length))) {
        bestAt = at;
        best = token;
      }
    }
    if (bestAt < 0) break;
    if (bestAt > from) sections.push({ text: text.slice(from, bestAt) });
    sections.push({ id: specials.get(best)! });
    from = bestAt + best.length;
  }
  if (from < text.length) sections.push({ text: from === 0 ? text : text.slice(from) });
  return sections;
}
