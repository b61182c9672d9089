// A fast 64-bit (two 32-bit halves) hash of a string, for duplicate detection over files too big to keep
// their texts in memory. Two independent multiplicative hashes over UTF-16 code units, each finished with
// the murmur3 fmix32 avalanche; 64 bits make an accidental collision among 10^7 texts about 1 in 400 000.

/** The two halves of the last hash, reused to avoid allocating per text. */
export const textHash = { hi: 0, lo: 0 };

/** Hashes `text` into `textHash.hi` / `textHash.lo` (unsigned 32-bit each). */
export function hashText(text: string): void {
  let h1 = 0x811c9dc5 ^ text.length;
  let h2 = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  textHash.hi = fmix32(h1) >>> 0;
  textHash.lo = fmix32(h2 ^ h1) >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
