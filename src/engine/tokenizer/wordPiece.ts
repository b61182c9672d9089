// WordPiece: greedy longest-match-first split of one word into vocabulary pieces ("##" marks a continuation),
// as in google-research/bert `WordpieceTokenizer`. Words repeat a lot in text, so results are cached per word.

/** Splits words into WordPiece ids, with a bounded per-word cache. */
export class WordPiece {
  private readonly cache = new Map<string, readonly number[]>();
  /** No vocabulary piece is longer than this (in UTF-16 units, without the prefix): bounds the inner search. */
  private readonly maxPieceLength: number;

  /**
   * @param vocab token string → id
   * @param unkId id emitted for a word that cannot be split (the whole word becomes one [UNK])
   * @param prefix continuation prefix, "##" for BERT
   * @param maxCharsPerWord longer words (in code points) become [UNK] without splitting; 100 in BERT
   * @param cacheLimit the cache is emptied when it holds this many words, to bound memory on huge corpora
   */
  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly unkId: number,
    private readonly prefix = '##',
    private readonly maxCharsPerWord = 100,
    private readonly cacheLimit = 500_000,
  ) {
    let longest = 1;
    for (const token of vocab.keys()) {
      const length = token.startsWith(prefix) ? token.length - prefix.length : token.length;
      if (length > longest) longest = length;
    }
    this.maxPieceLength = longest;
  }

  /** Appends the ids of `word` to `out`. */
  encodeWord(word: string, out: number[]): void {
    let ids = this.cache.get(word);
    if (ids === undefined) {
      ids = this.split(word);
      if (this.cache.size >= this.cacheLimit) this.cache.clear();
      this.cache.set(word, ids);
    }
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  }

  private split(word: string): number[] {
    // Work on code points so that a piece never cuts a surrogate pair; plain strings need no array.
    const chars: string | string[] = /[\ud800-\udfff]/.test(word) ? Array.from(word) : word;
    const n = chars.length;
    if (n > this.maxCharsPerWord) return [this.unkId];
    const piece = typeof chars === 'string'
      ? (a: number, b: number) => chars.slice(a, b)
      : (a: number, b: number) => chars.slice(a, b).join('');
    const ids: number[] = [];
    let start = 0;
    while (start < n) {
      let end = Math.min(n, start + this.maxPieceLength);
      let found = -1;
      while (start < end) {
        const candidate = start === 0 ? piece(start, end) : this.prefix + piece(start, end);
        const id = this.vocab.get(candidate);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }
}
