// An open-addressing hash table from bucket id (a non-negative int32) to row, on typed arrays: the n-gram
// model looks one up per feature (hundreds per text), where a JS Map cost more than the training itself.

const EMPTY = -1;

export class BucketRowTable {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The row of `bucket`, or -1. */
  get(bucket: number): number {
    for (let i = slot(bucket, this.mask); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === bucket) return this.values[i]!;
      if (k === EMPTY) return -1;
    }
  }

  /** Sets the row of `bucket` (adding it when new). */
  set(bucket: number, row: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    for (let i = slot(bucket, this.mask); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === bucket) {
        this.values[i] = row;
        return;
      }
      if (k === EMPTY) {
        this.keys[i] = bucket;
        this.values[i] = row;
        this.count++;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i]! !== EMPTY) this.set(keys[i]!, values[i]!);
  }
}

// Fibonacci hashing spreads the low-entropy bucket ids over the table.
function slot(bucket: number, mask: number): number {
  return (Math.imul(bucket, 0x9e3779b1) >>> 7) & mask;
}
