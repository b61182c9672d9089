// Length-bucketed, seeded batch plans: examples of similar length share a batch (little padding), while the
// order still changes every epoch. The plan is a pure function of (lengths, batch size, seed, epoch), so a
// resumed run rebuilds exactly the same batches.
import { SeededRandom, mixSeed } from '../../seededRandom';

/** How many batches' worth of shuffled examples are sorted by length together. */
const bucketBatches = 50;

/**
 * Example indices per batch for one epoch.
 * @param lengths token count of each example
 */
export function planEpochBatches(lengths: readonly number[], batchSize: number, seed: number, epoch: number): number[][] {
  const rng = new SeededRandom(mixSeed(seed, epoch, 0xba7c4));
  const order = rng.shuffle(lengths.map((_, i) => i));
  const batches: number[][] = [];
  const chunk = batchSize * bucketBatches;
  for (let start = 0; start < order.length; start += chunk) {
    const bucket = order.slice(start, start + chunk).sort((a, b) => lengths[a] - lengths[b] || a - b);
    for (let i = 0; i < bucket.length; i += batchSize) batches.push(bucket.slice(i, i + batchSize));
  }
  return rng.shuffle(batches);
}

/** Batches of consecutive indices for inference, sorted by length to minimise padding. */
export function planInferenceBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
