// Deterministic stratified k-fold assignment: each class is shuffled with a seeded RNG and dealt round-robin,
// so every fold sees every class in about the same proportion and the same seed gives the same folds.
import { mulberry32 } from '../seededRandom';

/**
 * Returns the fold (0..folds-1) of each example, length N.
 * @param labelIds given label per example.
 * @param folds number of folds, ≥ 2.
 * @param seed RNG seed; the same inputs and seed give the same assignment.
 */
export function assignStratifiedFolds(labelIds: ArrayLike<number>, folds: number, seed: number): Int32Array {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labelIds.length; i++) {
    const list = byClass.get(labelIds[i]);
    if (list) list.push(i);
    else byClass.set(labelIds[i], [i]);
  }
  const random = mulberry32(seed);
  const foldOf = new Int32Array(labelIds.length);
  // Continue the round-robin across classes so small classes do not all start in fold 0.
  let next = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(cls)!;
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    for (const i of members) foldOf[i] = next++ % folds;
  }
  return foldOf;
}
