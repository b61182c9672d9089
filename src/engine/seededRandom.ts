// The engine's one seeded pseudo-random generator (mulberry32), for everything that must replay exactly on resume
// (initialisation, dropout, data order, splits, folds). Its whole state is one integer, so checkpoints can save it.

export class SeededRandom {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Fills `out` with `value` where a Bernoulli(p) draw succeeds and 0 elsewhere (dropout masks: millions of values
   * per training step). Each mulberry32 output serves two elements, its low and high 16 bits each compared with
   * round(p · 2¹⁶): half the generator work of one draw per element (~2× faster), at the price of `p` being used
   * rounded to a multiple of 2⁻¹⁶ (`bernoulliProbability`; within 7.7e-6 of `p`). Reproducible: the same state
   * and length give the same values; the state advances by ⌈length / 2⌉ draws.
   */
  fillBernoulli(out: Float32Array, p: number, value: number): void {
    const threshold = Math.round(Math.min(1, Math.max(0, p)) * 65536);
    let s = this.state | 0;
    const n = out.length;
    for (let i = 0; i < n; i += 2) {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      t ^= t >>> 14;
      out[i] = (t & 0xffff) < threshold ? value : 0;
      if (i + 1 < n) out[i + 1] = t >>> 16 < threshold ? value : 0;
    }
    this.state = s >>> 0;
  }

  /** The success probability `fillBernoulli` realises for `p`: p clamped to [0, 1] and rounded to a multiple of 2⁻¹⁶. */
  static bernoulliProbability(p: number): number {
    return Math.round(Math.min(1, Math.max(0, p)) * 65536) / 65536;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** Mixes several integers into one seed (so step/worker/epoch streams are independent but reproducible). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * The generator as a plain function (for callers that only need uniform draws).
 * @returns a function yielding floats in [0, 1), fully determined by `seed`.
 */
export function mulberry32(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/**
 * The order in which one epoch visits `n` examples: a Fisher–Yates shuffle seeded by `(seed, epoch)`, so the
 * order of any epoch can be recomputed after a restart without saving RNG state.
 */
export function epochOrder(n: number, seed: number, epoch: number): Uint32Array {
  const random = mulberry32(Math.imul(seed ^ 0x9e3779b9, 31) + epoch * 0x85ebca6b);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
