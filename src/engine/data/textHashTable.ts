// Open-addressing hash table keyed by 64-bit text hashes, in typed arrays: 15 bytes per slot instead of a
// Map of strings, so duplicate detection over a 1 GB file fits in a few tens of MB.

/** Result of `TextHashTable.visit`: the slot of the text and whether it was already there. */
export interface TextVisit {
  slot: number;
  seen: boolean;
  /** The table is at its memory cap and the text was new: it was not stored (and `slot` means nothing). */
  full: boolean;
}

/** 2^23 slots = 120 MiB: room for 5.8 million distinct texts, so inspection stays under ~300 MB RSS. */
export const defaultMaxSlots = 2 ** 23;

export class TextHashTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** 1-based line of the first occurrence; 0 marks an empty slot. */
  private firstLine: Uint32Array;
  private firstLabel: Uint16Array;
  private flagBits: Uint8Array;
  private used = 0;
  private readonly visitResult: TextVisit = { slot: 0, seen: false, full: false };
  private readonly maxSlots: number;

  /**
   * `expectedTexts` sizes the table up front, so a big file never pays for (or doubles memory in) a resize.
   * The table never grows past `maxSlots` (a power of two): bounded memory whatever the input.
   */
  constructor(expectedTexts = 1024, maxSlots = defaultMaxSlots) {
    this.maxSlots = maxSlots;
    const capacity = Math.min(capacityFor(expectedTexts), maxSlots);
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.firstLine = new Uint32Array(capacity);
    this.firstLabel = new Uint16Array(capacity);
    this.flagBits = new Uint8Array(capacity);
  }

  get size(): number {
    return this.used;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.hi.length * 15;
  }

  /**
   * Finds the slot of hash (hi, lo); if absent, inserts it with `line` and `labelId`. The returned object is
   * reused by the next call.
   */
  visit(hi: number, lo: number, line: number, labelId: number): TextVisit {
    const atLimit = (this.used + 1) * 10 > this.hi.length * 7;
    if (atLimit && this.hi.length < this.maxSlots) this.grow();
    const slot = this.findSlot(hi, lo);
    const result = this.visitResult;
    result.slot = slot;
    result.full = false;
    if (this.firstLine[slot] !== 0) {
      result.seen = true;
      return result;
    }
    if (atLimit && this.hi.length >= this.maxSlots) {
      result.seen = false;
      result.full = true;
      return result;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.firstLine[slot] = line;
    this.firstLabel[slot] = labelId;
    this.used++;
    result.seen = false;
    return result;
  }

  /** Slot of hash (hi, lo), or -1 when absent. */
  find(hi: number, lo: number): number {
    const slot = this.findSlot(hi, lo);
    return this.firstLine[slot] === 0 ? -1 : slot;
  }

  lineAt(slot: number): number {
    return this.firstLine[slot];
  }

  labelAt(slot: number): number {
    return this.firstLabel[slot];
  }

  flags(slot: number): number {
    return this.flagBits[slot];
  }

  setFlags(slot: number, bits: number): void {
    this.flagBits[slot] |= bits;
  }

  private findSlot(hi: number, lo: number): number {
    const mask = this.hi.length - 1;
    // lo and hi are independent hashes; lo picks the start so hi still tells entries apart within a run.
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (this.firstLine[slot] !== 0 && (this.hi[slot] !== hi || this.lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, firstLine, firstLabel, flagBits } = this;
    const capacity = hi.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.firstLine = new Uint32Array(capacity);
    this.firstLabel = new Uint16Array(capacity);
    this.flagBits = new Uint8Array(capacity);
    for (let i = 0; i < hi.length; i++) {
      if (firstLine[i] === 0) continue;
      const slot = this.findSlot(hi[i], lo[i]);
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.firstLine[slot] = firstLine[i];
      this.firstLabel[slot] = firstLabel[i];
      this.flagBits[slot] = flagBits[i];
    }
  }
}

/** Smallest power of two that holds `n` entries at a load factor of at most 0.7. */
function capacityFor(n: number): number {
  let capacity = 1024;
  while (capacity * 7 < Math.max(n, 1) * 10) capacity *= 2;
  return capacity;
}
