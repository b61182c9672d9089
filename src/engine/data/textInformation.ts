// Whether a text carries anything a model can learn from: texts of only invisible characters, only punctuation,
// or (for a tokenizer) only unknown and special tokens reach the model as nothing. Checked on every line, so
// the common case (an ASCII letter or digit early in the text) returns at once.
import { describeInvisibleCharacter } from './describeCharacter';

// Letters, digits and symbols: what the n-gram model turns into features (`tokenizeWords` with `symbols`).
const featureCharacter = /[\p{L}\p{N}\p{S}]/u;

/**
 * Why `text` gives the n-gram model (and the word estimate) no feature, or undefined when it has one: it has
 * no letter, digit or symbol. The reason names the invisible characters it holds, if any.
 */
export function emptyForWords(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) return undefined;
    if (c >= 0x80) {
      if (featureCharacter.test(text.slice(i))) return undefined;
      break;
    }
  }
  const invisible = [...new Set([...text].map(describeInvisibleCharacter).filter((d): d is string => d !== undefined))];
  return invisible.length > 0
    ? `The text holds only invisible characters (${invisible.join(', ')})${/[^\s\p{Cf}\p{Cc}]/u.test(text) ? ' and punctuation' : ''}: it carries no information.`
    : 'The text holds no letter, digit or symbol (only punctuation or spaces): the n-gram model gets no feature from it.';
}

/**
 * Why token ids `ids` (with the tokenizer's special tokens) carry no information, or undefined: every id is
 * unknown (`[UNK]`) or special (`[CLS]`, `[SEP]`, padding).
 */
export function emptyForTokenizer(ids: ArrayLike<number>, special: { unk: number; cls: number; sep: number; pad: number }): string | undefined {
  let unknown = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === special.unk) unknown++;
    else if (id !== special.cls && id !== special.sep && id !== special.pad) return undefined;
  }
  return unknown > 0
    ? `The tokenizer turns the whole text into ${unknown} unknown token${unknown === 1 ? '' : 's'} ([UNK]): the model sees no content.`
    : 'The tokenizer finds no token in the text (only special tokens remain): the model sees no content.';
}
