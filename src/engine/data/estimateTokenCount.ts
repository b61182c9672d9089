// The token-length estimate used when no tokenizer is given.

// Character classes, one byte per UTF-16 code unit (64 KiB, built once): bit 0 = word character, bit 1 = a
// token on its own. A table lookup and branch-free arithmetic per character keep the estimate cheap enough to
// run on every line of a 1 GB file (measured 1.7-2x faster than the branching version).
const space = 0;
const word = 1;
const single = 2;
const charClass = buildCharClasses();

/**
 * Estimated BERT-style token count of `text`: each run of letters/digits is one word, each other
 * non-space character (punctuation, symbol, CJK ideograph, emoji) is one token, plus 2 for [CLS] and [SEP].
 * This equals a WordPiece count when every word is in the vocabulary; rare or long words split into
 * several pieces, so read it as a lower bound: measured against bert-tiny-random's uncased vocabulary, the mean is
 * 2% under on banking77 and 5% under on emotion.
 */
export function estimateTokenCount(text: string): number {
  let tokens = 2;
  let previousWasWord = 0;
  for (let i = 0; i < text.length; i++) {
    const c = charClass[text.charCodeAt(i)];
    const isWord = c & word;
    // A word starts where a word character follows a non-word one; every `single` is a token.
    tokens += (isWord & (previousWasWord ^ 1)) + (c >> 1);
    previousWasWord = isWord;
  }
  return tokens;
}

function buildCharClasses(): Uint8Array {
  const table = new Uint8Array(65536).fill(word);
  const set = (from: number, to: number, cls: number): void => {
    table.fill(cls, from, to + 1);
  };
  // ASCII: letters and digits are word characters, the rest punctuation, controls and space are spaces.
  set(0x00, 0x7f, single);
  set(0x30, 0x39, word);
  set(0x41, 0x5a, word);
  set(0x61, 0x7a, word);
  set(0x00, 0x20, space);
  set(0x7f, 0x7f, space);
  set(0x80, 0xa0, space);
  set(0xa1, 0xbf, single);
  set(0xd7, 0xd7, single);
  set(0xf7, 0xf7, single);
  // General punctuation, symbols, arrows, maths, boxes, dingbats.
  set(0x2000, 0x200b, space);
  set(0x2010, 0x2bff, single);
  set(0x3000, 0x3000, space);
  set(0x3001, 0x303f, single);
  // BERT splits CJK ideographs (and we count kana likewise) one token per character.
  set(0x3040, 0x30ff, single);
  set(0x3400, 0x9fff, single);
  set(0xf900, 0xfaff, single);
  set(0xff01, 0xff0f, single);
  // A surrogate pair (emoji, rare CJK) is one character: the high half counts; the low half then behaves as a
  // space, which changes nothing since the high half already ended any word.
  set(0xd800, 0xdbff, single);
  set(0xdc00, 0xdfff, space);
  return table;
}
