// Open-addressing hash table keyed by 64-bit text hashes, in one typed array: 16 bytes per slot instead of a
// Map of strings, so duplicate detection over a 1 GB file fits in about a hundred MB.

/** Result of `TextHashTable.visit`: the slot of the text and whether it was already there. */
export interface TextVisit {
  slot: number;
  seen: boolean;
  /** The table is at its memory cap and the text was new: it was not stored (and `slot` means nothing). */
  full: boolean;
}

/** 2^23 slots = 128 MiB: room for 5.8 million distinct texts, so inspection stays under ~300 MB RSS. */
export const defaultMaxSlots = 2 ** 23;

// Slot layout, interleaved so a probe touches one cache line: [hashHi, hashLo, firstLine, label | flags << 16].
const stride = 4;
const hiAt = 0;
const loAt = 1;
const lineAt = 2;
const labelFlagsAt = 3;

export class TextHashTable {
  /** `firstLine` 0 marks an empty slot (lines are 1-based). */
  private slots: Uint32Array;
  private capacity: number;
  private used = 0;
  private readonly visitResult: TextVisit = { slot: 0, seen: false, full: false };
  private readonly maxSlots: number;

  /**
   * `expectedTexts` sizes the table up front, so a big file never pays for (or doubles memory in) a resize.
   * The table never grows past `maxSlots` (a power of two): bounded memory whatever the input.
   */
  constructor(expectedTexts = 1024, maxSlots = defaultMaxSlots) {
    this.maxSlots = maxSlots;
    this.capacity = Math.min(capacityFor(expectedTexts), maxSlots);
    this.slots = new Uint32Array(this.capacity * stride);
  }

  get size(): number {
    return this.used;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /**
   * Finds the slot of hash (hi, lo); if absent, inserts it with `line` and `labelId` (16-bit). The returned
   * object is reused by the next call.
   */
  visit(hi: number, lo: number, line: number, labelId: number): TextVisit {
    const atLimit = (this.used + 1) * 10 > this.capacity * 7;
    if (atLimit && this.capacity < this.maxSlots) this.grow();
    const slot = this.findSlot(hi, lo);
    const result = this.visitResult;
    result.slot = slot;
    result.full = false;
    const base = slot * stride;
    if (this.slots[base + lineAt] !== 0) {
      result.seen = true;
      return result;
    }
    result.seen = false;
    if (atLimit && this.capacity >= this.maxSlots) {
      result.full = true;
      return result;
    }
    this.slots[base + hiAt] = hi;
    this.slots[base + loAt] = lo;
    this.slots[base + lineAt] = line;
    this.slots[base + labelFlagsAt] = labelId & 0xffff;
    this.used++;
    return result;
  }

  /** Slot of hash (hi, lo), or -1 when absent. */
  find(hi: number, lo: number): number {
    const slot = this.findSlot(hi, lo);
    return this.slots[slot * stride + lineAt] === 0 ? -1 : slot;
  }

  lineAt(slot: number): number {
    return this.slots[slot * stride + lineAt];
  }

  labelAt(slot: number): number {
    return this.slots[slot * stride + labelFlagsAt] & 0xffff;
  }

  flags(slot: number): number {
    return this.slots[slot * stride + labelFlagsAt] >>> 16;
  }

  setFlags(slot: number, bits: number): void {
    this.slots[slot * stride + labelFlagsAt] |= (bits & 0xffff) << 16;
  }

  private findSlot(hi: number, lo: number): number {
    const mask = this.capacity - 1;
    const slots = this.slots;
    // lo and hi are independent hashes; lo picks the start so hi still tells entries apart within a run.
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const base = slot * stride;
      if (slots[base + lineAt] === 0 || (slots[base + hiAt] === hi && slots[base + loAt] === lo)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * stride);
    for (let base = 0; base < old.length; base += stride) {
      if (old[base + lineAt] === 0) continue;
      const to = this.findSlot(old[base + hiAt], old[base + loAt]) * stride;
      for (let k = 0; k < stride; k++) this.slots[to + k] = old[base + k];
    }
  }
}

/** Smallest power of two that holds `n` entries at a load factor of at most 0.7. */
function capacityFor(n: number): number {
  let capacity = 1024;
  while (capacity * 7 < Math.max(n, 1) * 10) capacity *= 2;
  return capacity;
}
