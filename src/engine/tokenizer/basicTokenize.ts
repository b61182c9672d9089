// BERT's "basic" tokenisation (Hugging Face BertNormalizer + BertPreTokenizer): clean the text, isolate CJK
// characters, lower-case and strip accents as configured, split on whitespace and punctuation.
// ASCII texts (nearly all of our datasets) take a table-driven path that gives the same words without regexes.

export interface BasicTokenizeOptions {
  lowerCase: boolean;
  stripAccents: boolean;
  tokenizeChineseChars: boolean;
}

const SKIP = 0;
const SPACE = 1;
const PUNCT = 2;
const WORD = 3;

/** Class of each ASCII code: controls are dropped, \t\n\r and space split, ASCII punctuation is its own word. */
const ASCII_CLASS = (() => {
  const table = new Uint8Array(128).fill(WORD);
  for (let c = 0; c < 32; c++) table[c] = SKIP;
  table[127] = SKIP;
  for (const c of [9, 10, 13, 32]) table[c] = SPACE;
  // Python's BasicTokenizer counts every non-alphanumeric printable ASCII character as punctuation.
  for (const [lo, hi] of [[33, 47], [58, 64], [91, 96], [123, 126]]) for (let c = lo; c <= hi; c++) table[c] = PUNCT;
  return table;
})();

// Control, format, unassigned, private-use and surrogate characters are removed (HF `is_control`), except \t\n\r.
const CONTROL = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}]/u;
const WHITESPACE = /\s/u;
const COMBINING_MARK = /\p{Mn}/gu;
// Punctuation as in HF `is_punctuation`: every ASCII symbol plus the Unicode P* categories.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_OR_PUNCT = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

/** The CJK Unified Ideographs blocks BERT isolates (google-research/bert `_is_chinese_char`). */
export function isCjkCodePoint(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

/**
 * Appends the words of `text` (before WordPiece) to `out`.
 * @param text raw text (special tokens already split off)
 * @param options lower-casing, accent stripping and CJK handling, as the model's tokenizer_config.json says
 * @param out receives the words in order
 */
export function basicTokenize(text: string, options: BasicTokenizeOptions, out: string[]): void {
  if (!asciiWords(text, options.lowerCase, out)) unicodeWords(text, options, out);
}

/** The fast path; returns false (leaving `out` as it was) as soon as it meets a non-ASCII character. */
function asciiWords(text: string, lowerCase: boolean, out: string[]): boolean {
  const startLength = out.length;
  const s = lowerCase ? text.toLowerCase() : text;
  const n = s.length;
  let wordStart = -1;
  // A control character inside a word is deleted, joining its two halves ("ab\u0001cd" is one word).
  let pending = '';
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      out.length = startLength;
      return false;
    }
    const kind = ASCII_CLASS[c];
    if (kind === WORD) {
      if (wordStart < 0) wordStart = i;
      continue;
    }
    if (kind === SKIP) {
      if (wordStart >= 0) {
        pending += s.slice(wordStart, i);
        wordStart = -1;
      }
      continue;
    }
    if (wordStart >= 0 || pending) {
      out.push(wordStart >= 0 ? pending + s.slice(wordStart, i) : pending);
      pending = '';
      wordStart = -1;
    }
    if (kind === PUNCT) out.push(s[i]);
  }
  if (wordStart >= 0 || pending) out.push(wordStart >= 0 ? pending + s.slice(wordStart) : pending);
  return true;
}

/** The general path, character class by Unicode property, in the order Hugging Face's BertNormalizer uses. */
function unicodeWords(text: string, options: BasicTokenizeOptions, out: string[]): void {
  const parts: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) {
      const kind = ASCII_CLASS[cp];
      if (kind === SKIP) continue;
      parts.push(kind === SPACE ? ' ' : ch);
      continue;
    }
    if (cp === 0xfffd || CONTROL.test(ch)) continue;
    if (WHITESPACE.test(ch)) parts.push(' ');
    else if (options.tokenizeChineseChars && isCjkCodePoint(cp)) parts.push(' ', ch, ' ');
    else parts.push(ch);
  }
  let s = parts.join('');
  if (options.lowerCase) s = s.toLowerCase();
  if (options.stripAccents) s = s.normalize('NFD').replace(COMBINING_MARK, '');
  for (const m of s.matchAll(WORD_OR_PUNCT)) out.push(m[0]);
}
