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
}

/** A text's features: hashed bucket ids and the weight of each in the bag. */
export interface NgramFeatures {
  ids: Uint32Array;
  weights: Float32Array;
}

export const DEFAULT_FEATURE_SPEC: NgramFeatureSpec = { wordNgrams: 2, charMin: 2, charMax: 5, buckets: 1 << 22, lowercase: true, charShare: 0.5, phraseWeight: 0.25 };

// Letters, digits and inner apostrophes make words; everything else separates them.
const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Words of a text as the model sees them. */
export function tokenizeWords(text: string, spec: NgramFeatureSpec): string[] {
  const source = spec.lowercase ? text.toLowerCase() : text;
  return source.match(WORD_PATTERN) ?? [];
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
  const grams: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    grams.length = 0;
    if (spec.charMax > 0) {
      const marked = `<${word}>`;
      for (let n = spec.charMin; n <= spec.charMax; n++) {
        // The whole marked word is already the word feature.
        for (let s = 0; s + n <= marked.length && n < marked.length; s++) grams.push(marked.slice(s, s + n));
      }
    }
    const charShare = grams.length > 0 ? spec.charShare : 0;
    ids.push(fnv1a(`w ${word}`) % spec.buckets);
    weights.push(1 - charShare);
    for (const g of grams) {
      ids.push(fnv1a(`c ${g}`) % spec.buckets);
      weights.push(charShare / grams.length);
    }
    let gram = word;
    for (let n = 2; n <= spec.wordNgrams && i + n <= words.length; n++) {
      gram += ` ${words[i + n - 1]!}`;
      ids.push(fnv1a(`w ${gram}`) % spec.buckets);
      weights.push(spec.phraseWeight);
    }
  }
  return { ids: Uint32Array.from(ids), weights: Float32Array.from(weights) };
}

/** 32-bit FNV-1a over UTF-16 code units: simple, fast, stable across platforms (documented in docs/ngram-format.md). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
