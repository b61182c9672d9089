// The token-length estimate used when no tokenizer is given.

/**
 * Estimated BERT-style token count of `text`: each run of letters/digits is one word, each other
 * non-space character (punctuation, symbol, CJK ideograph) is one token, plus 2 for [CLS] and [SEP].
 * This equals a WordPiece count when every word is in the vocabulary; rare or long words split into
 * several pieces, so read it as a lower bound (typically 5–20% under for English).
 */
export function estimateTokenCount(text: string): number {
  let tokens = 2;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000) {
      inWord = false;
    } else if (isWordChar(c)) {
      if (!inWord) tokens++;
      inWord = true;
    } else {
      // Low surrogates continue the character their high surrogate started.
      if (!(c >= 0xdc00 && c <= 0xdfff)) tokens++;
      inWord = false;
    }
  }
  return tokens;
}

function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  // CJK ideographs and kana are tokenized one by one by BERT, so they are not word characters here.
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  // General punctuation and symbols blocks.
  if ((c >= 0x2010 && c <= 0x2bff) || (c >= 0xa1 && c <= 0xbf) || c === 0xd7 || c === 0xf7) return false;
  return true;
}
