// Seeded pseudo-random numbers for everything that must replay exactly on resume (init, data order).

/**
 * Mulberry32: a tiny 32-bit PRNG with good statistical quality for shuffling and initialisation.
 * @returns a function yielding floats in [0, 1), fully determined by `seed`.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
