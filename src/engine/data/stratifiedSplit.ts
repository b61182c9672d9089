// Deterministic stratified split that keeps identical texts together, so a duplicated text can never sit
// in both training and evaluation data.
import { mulberry32 } from '../seededRandom';
import { sortLabels } from './sortLabels';

/**
 * Splits `examples` into [train, validation, test] with the given fractions per label (rounded, each class
 * keeping at least one training example). Examples with the same text form one group that goes to one split,
 * stratified by the label of its first occurrence. Same input and seed → same split; each split keeps file order.
 */
export function stratifiedSplit<T extends { text: string; label: string }>(
  examples: readonly T[],
  fractions: readonly [number, number, number],
  seed: number,
): [T[], T[], T[]] {
  const groupsByText = new Map<string, number[]>();
  for (let i = 0; i < examples.length; i++) {
    const group = groupsByText.get(examples[i].text);
    if (group) group.push(i);
    else groupsByText.set(examples[i].text, [i]);
  }
  const strata = new Map<string, { groups: number[][]; size: number }>();
  for (const group of groupsByText.values()) {
    const label = examples[group[0]].label;
    let stratum = strata.get(label);
    if (!stratum) {
      stratum = { groups: [], size: 0 };
      strata.set(label, stratum);
    }
    stratum.groups.push(group);
    stratum.size += group.length;
  }
  const random = mulberry32(seed);
  const assigned: number[][] = [[], [], []];
  // Training groups per class, in shuffled order: where a group is taken from if a split would end up empty.
  const trainGroups: number[][][] = [];
  for (const label of sortLabels(strata.keys())) {
    const { groups, size } = strata.get(label)!;
    for (let i = groups.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [groups[i], groups[j]] = [groups[j], groups[i]];
    }
    const wantValidation = Math.round(size * fractions[1]);
    const wantTest = Math.round(size * fractions[2]);
    const counts = [0, 0, 0];
    const inTrain: number[][] = [];
    groups.forEach((group, g) => {
      // The last group of a class stays in training if training has none yet.
      const split = g === groups.length - 1 && counts[0] === 0 ? 0 : counts[1] < wantValidation ? 1 : counts[2] < wantTest ? 2 : 0;
      counts[split] += group.length;
      if (split === 0) inTrain.push(group);
      else assigned[split].push(...group);
    });
    trainGroups.push(inTrain);
  }
  // Small datasets round every class's share to zero; an empty validation split would leave training without
  // early stopping, so take one group from the class with the most training groups (keeping it at least 2).
  for (const split of [1, 2] as const) {
    if (fractions[split] <= 0 || assigned[split].length > 0) continue;
    const donor = trainGroups.reduce((best, groups) => (groups.length > (best?.length ?? 1) ? groups : best), undefined as number[][] | undefined);
    if (donor && donor.length > 2) assigned[split].push(...donor.pop()!);
  }
  for (const groups of trainGroups) for (const group of groups) assigned[0].push(...group);
  return assigned.map((indices) => indices.sort((a, b) => a - b).map((i) => examples[i])) as [T[], T[], T[]];
}
