// The diversity step by clustering: weighted spherical k-means over the candidates, one representative per
// cluster (Zhdanov 2019, "Diverse mini-batch Active Learning": k-means weighted by informativeness, the sample
// nearest each centre). Unlike k-center, which favours outliers, it picks texts typical of a region of the pool.
import { cosineSimilarity, type SparseVector } from './textVectors';

/**
 * `k` indices into `vectors`, one per cluster, ordered by weight (heaviest first).
 * Spherical k-means (Dhillon & Modha 2001; cosine similarity, centres renormalised), seeded with the k heaviest
 * points spread greedily (each next seed the heaviest of those least similar to the seeds so far), `iterations`
 * Lloyd steps with centres as weight-weighted means. Each cluster's representative is its member most similar
 * to the centre; a cluster that ends up empty gives no point, and the remaining slots go to the heaviest unpicked.
 * @param vectors unit TF-IDF vectors (see `tfidfVectors`), length m.
 * @param weights informativeness per vector (e.g. uncertainty), length m, ≥ 0.
 * @param k number of clusters (= points returned, at most m).
 */
export function clusterRepresentatives(vectors: readonly SparseVector[], weights: ArrayLike<number>, k: number, iterations = 8): number[] {
  const m = vectors.length;
  k = Math.min(k, m);
  if (k <= 0) return [];
  const byWeight = Array.from({ length: m }, (_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  let centres = initialCentres(vectors, byWeight, k).map((i) => toDense(vectors[i]!));
  const assignment = new Int32Array(m);
  for (let iter = 0; iter <= iterations; iter++) {
    for (let i = 0; i < m; i++) assignment[i] = nearestCentre(vectors[i]!, centres);
    if (iter === iterations) break;
    centres = centres.map((_, c) => {
      const sum = new Map<number, number>();
      for (let i = 0; i < m; i++) {
        if (assignment[i] !== c) continue;
        const v = vectors[i]!;
        const w = Math.max(weights[i]!, 1e-6);
        for (let j = 0; j < v.ids.length; j++) sum.set(v.ids[j]!, (sum.get(v.ids[j]!) ?? 0) + w * v.weights[j]!);
      }
      return normalise(sum);
    });
  }
  const best = new Int32Array(k).fill(-1);
  const bestSimilarity = new Float64Array(k).fill(-Infinity);
  for (const i of byWeight) {
    const c = assignment[i]!;
    const s = dot(vectors[i]!, centres[c]!);
    if (s > bestSimilarity[c]! + 1e-12) {
      bestSimilarity[c] = s;
      best[c] = i;
    }
  }
  const picked = new Set(Array.from(best).filter((i) => i >= 0));
  for (const i of byWeight) if (picked.size < k) picked.add(i);
  return [...picked].sort((a, b) => weights[b]! - weights[a]! || a - b);
}

function initialCentres(vectors: readonly SparseVector[], byWeight: readonly number[], k: number): number[] {
  // Among the heaviest 3k points, greedily the heaviest point least similar to the chosen ones (a k-center seeding).
  const pool = byWeight.slice(0, Math.min(byWeight.length, 3 * k));
  const chosen = [pool[0]!];
  const maxSimilarity = new Float64Array(pool.length).fill(-Infinity);
  const taken = new Uint8Array(pool.length);
  taken[0] = 1;
  while (chosen.length < k) {
    const last = vectors[chosen[chosen.length - 1]!]!;
    let next = -1;
    for (let p = 0; p < pool.length; p++) {
      if (taken[p]) continue;
      maxSimilarity[p] = Math.max(maxSimilarity[p]!, cosineSimilarity(vectors[pool[p]!]!, last));
      if (next < 0 || maxSimilarity[p]! < maxSimilarity[next]! - 1e-12) next = p;
    }
    if (next < 0) break;
    taken[next] = 1;
    chosen.push(pool[next]!);
  }
  for (const i of byWeight) if (chosen.length < k && !chosen.includes(i)) chosen.push(i);
  return chosen;
}

function nearestCentre(v: SparseVector, centres: readonly Map<number, number>[]): number {
  let best = 0;
  let bestSimilarity = -Infinity;
  centres.forEach((centre, c) => {
    const s = dot(v, centre);
    if (s > bestSimilarity) {
      bestSimilarity = s;
      best = c;
    }
  });
  return best;
}

function dot(v: SparseVector, centre: Map<number, number>): number {
  let s = 0;
  for (let j = 0; j < v.ids.length; j++) s += v.weights[j]! * (centre.get(v.ids[j]!) ?? 0);
  return s;
}

function toDense(v: SparseVector): Map<number, number> {
  return new Map(Array.from(v.ids, (id, j) => [id, v.weights[j]!]));
}

function normalise(sum: Map<number, number>): Map<number, number> {
  let norm = 0;
  for (const w of sum.values()) norm += w * w;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [id, w] of sum) sum.set(id, w * scale);
  return sum;
}
