// Turns a text into the hashed n-gram features of the built-in fastText-style model (Joulin et al. 2016,
// "Bag of Tricks for Efficient Text Classification"; subwords as in Bojanowski et al. 2017).

/** Which n-grams a text is turned into; stored in the model header so prediction uses the same ones. */
export interface NgramFeatureSpec {
  /** Word n-grams up to this length (1 = unigrams only, 2 = uni+bigrams). */
  wordNgrams: number;
  /** Character n-grams of `<word>` from `charMin` to `charMax` characters; `charMax` 0 turns them off. */
  charMin: number;
  charMax: number;
  /** Size of the hash space, at most 2^31; features are `fnv1a(kind + gram) % buckets`. */
  buckets: number;
  /** Lower-case the text first. */
  lowercase: boolean;
  /**
   * Share of a word's weight carried by its character n-grams (split evenly among them); the word itself
   * keeps the rest. Each word and each word n-gram weighs 1 in total, so long words do not drown short ones.
   */
  charShare: number;
  /** Weight of each word n-gram with n ≥ 2, relative to a word's 1: phrases help, but rarely seen ones overfit. */
  phraseWeight: number;
  /**
   * Emoji and other symbols (Unicode category S: 😢, ❤️, €, ™) are words too, one per symbol, so texts made only
   * of them are learnable. Absent in models saved before it existed, which read letters and digits only.
   */
  symbols?: boolean;
}

/** A text's features: hashed bucket ids and the weight of each in the bag. */
export interface NgramFeatures {
  ids: Uint32Array;
  weights: Float32Array;
}

export const DEFAULT_FEATURE_SPEC: NgramFeatureSpec = { wordNgrams: 2, charMin: 2, charMax: 5, buckets: 1 << 22, lowercase: true, charShare: 0.5, phraseWeight: 0.25, symbols: true };

// Letters, digits and inner apostrophes make words; everything else separates them.
const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
// ... and with `symbols`, each symbol is a word of its own: an emoji with its variation selector, skin tone
// and zero-width-joiner sequence (👩‍💻) counts as one.
const WORD_OR_SYMBOL_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|(?:\p{Extended_Pictographic}|\p{S})[\uFE0F\p{Emoji_Modifier}]*(?:\u200D\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]*)*/gu;

/** Words of a text as the model sees them. */
export function tokenizeWords(text: string, spec: NgramFeatureSpec): string[] {
  const source = spec.lowercase ? text.toLowerCase() : text;
  return source.match(spec.symbols ? WORD_OR_SYMBOL_PATTERN : WORD_PATTERN) ?? [];
}

/**
 * Hashed feature ids of one text: word n-grams, then character n-grams of each word with `<`/`>` boundary
 * marks. Repeated n-grams repeat (a bag, not a set), as in fastText.
 * @returns bucket ids in [0, spec.buckets).
 */
export function hashNgramFeatures(text: string, spec: NgramFeatureSpec): NgramFeatures {
  const words = tokenizeWords(text, spec);
  const ids: number[] = [];
  const weights: number[] = [];
  // Hashes are computed over the code units in place (no substring per n-gram): the same values as
  // fnv1a(`w ${gram}`) and fnv1a(`c ${gram}`), several times faster on long texts.
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const marked = `<${word}>`;
    let grams = 0;
    if (spec.charMax > 0) {
      for (let n = spec.charMin; n <= spec.charMax && n < marked.length; n++) grams += marked.length - n + 1;
    }
    const charShare = grams > 0 ? spec.charShare : 0;
    let wordState = fnvUpdate(W_PREFIX, word, 0, word.length);
    ids.push((wordState >>> 0) % spec.buckets);
    weights.push(1 - charShare);
    if (grams > 0) {
      const gramWeight = charShare / grams;
      for (let n = spec.charMin; n <= spec.charMax && n < marked.length; n++) {
        for (let s = 0; s + n <= marked.length; s++) {
          ids.push((fnvUpdate(C_PREFIX, marked, s, s + n) >>> 0) % spec.buckets);
          weights.push(gramWeight);
        }
      }
    }
    for (let n = 2; n <= spec.wordNgrams && i + n <= words.length; n++) {
      const next = words[i + n - 1]!;
      wordState = fnvUpdate(Math.imul(wordState ^ 0x20, FNV_PRIME), next, 0, next.length); // 0x20: the joining space
      ids.push((wordState >>> 0) % spec.buckets);
      weights.push(spec.phraseWeight);
    }
  }
  return { ids: Uint32Array.from(ids), weights: Float32Array.from(weights) };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a state after `s[start..end)`, continuing from `state` (not yet made unsigned). */
function fnvUpdate(state: number, s: string, start: number, end: number): number {
  let h = state;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const W_PREFIX = fnvUpdate(FNV_OFFSET, 'w ', 0, 2);
const C_PREFIX = fnvUpdate(FNV_OFFSET, 'c ', 0, 2);

/** 32-bit FNV-1a over UTF-16 code units: simple, fast, stable across platforms (documented in docs/ngram-format.md). */
export function fnv1a(s: string): number {
  return fnvUpdate(FNV_OFFSET, s, 0, s.length) >>> 0;
}
