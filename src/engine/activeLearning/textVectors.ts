// Sparse TF-IDF vectors of word unigrams and bigrams (hashed), L2-normalised, so that the cosine distance
// between two texts says how much of their wording they share. The diversity step of active learning uses
// them to keep near-duplicates out of one batch; they need no model, so they work with every model kind.

/** A text as a sparse unit vector: feature ids ascending, with their weights (Σ weight² = 1, or empty). */
export interface SparseVector {
  ids: Uint32Array;
  weights: Float32Array;
}

// 2^20 hash buckets: collisions between the few thousand distinct n-grams of a pool are rare and harmless here.
const BUCKETS = 1 << 20;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|\p{Extended_Pictographic}/gu;

/**
 * TF-IDF vectors of `texts` with sublinear term frequency (1 + log tf) and smoothed IDF log((1 + N) / (1 + df)) + 1,
 * as scikit-learn's `TfidfVectorizer(sublinear_tf=True)` (Manning et al. 2008, "Introduction to Information
 * Retrieval", §6.2–6.4). The IDF is computed over `texts` themselves.
 * @returns one `SparseVector` per text, in order; a text without words gets an empty vector.
 */
export function tfidfVectors(texts: readonly string[]): SparseVector[] {
  const counts = texts.map(countTerms);
  const documentFrequency = new Map<number, number>();
  for (const termCounts of counts) for (const id of termCounts.keys()) documentFrequency.set(id, (documentFrequency.get(id) ?? 0) + 1);
  const n = texts.length;
  return counts.map((termCounts) => {
    const ids = Uint32Array.from(termCounts.keys()).sort();
    const weights = new Float32Array(ids.length);
    let norm = 0;
    ids.forEach((id, j) => {
      const w = (1 + Math.log(termCounts.get(id)!)) * (Math.log((1 + n) / (1 + documentFrequency.get(id)!)) + 1);
      weights[j] = w;
      norm += w * w;
    });
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < weights.length; j++) weights[j] *= scale;
    return { ids, weights };
  });
}

/** Cosine similarity of two unit vectors (0 when either is empty), in [0, 1] for these non-negative weights. */
export function cosineSimilarity(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) dot += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return Math.min(1, dot);
}

/** Cosine distance 1 − cosine similarity, in [0, 1]. */
export function cosineDistance(a: SparseVector, b: SparseVector): number {
  return 1 - cosineSimilarity(a, b);
}

function countTerms(text: string): Map<number, number> {
  const words = text.toLowerCase().match(WORD) ?? [];
  const termCounts = new Map<number, number>();
  const add = (gram: string) => {
    const id = fnv1a(gram) % BUCKETS;
    termCounts.set(id, (termCounts.get(id) ?? 0) + 1);
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i]!);
    if (i > 0) add(`${words[i - 1]} ${words[i]}`);
  }
  return termCounts;
}

/** 32-bit FNV-1a over UTF-16 code units (Fowler, Noll, Vo). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
