// Deterministic split of a multi-label dataset by iterative stratification (Sechidis, Tsoumakas and Vlahavas,
// "On the Stratification of Multi-Label Data", ECML PKDD 2011, Algorithm 1): every label's examples are spread
// over the splits in the requested fractions as far as the label combinations allow, rarest label first.
// Identical texts stay together, as in stratifiedSplit.
import { mulberry32 } from '../seededRandom';
import { sortLabels } from './sortLabels';

interface Group {
  /** Example indices sharing one text. */
  indices: number[];
  /** Label ids carried by any member. */
  labels: number[];
}

/**
 * Splits `examples` into [train, validation, test] with the given fractions, label by label.
 *
 * Algorithm 1 of Sechidis et al. (2011): the desired count of each (label, split) starts at
 * `examples with the label × fraction`; repeatedly the label with the fewest unassigned examples is taken and
 * each of its unassigned examples goes to the split that most wants that label (ties: the split that wants the
 * most examples overall, then a seeded coin); every label of the example then lowers that split's wants.
 * Examples without labels go to the split that wants the most examples. Afterwards every label keeps at least
 * one training example, and a non-empty fraction gets at least one group when some group can be spared.
 *
 * @param examples items with `text` and `labels` (distinct names; may be empty).
 * @param fractions [train, validation, test], summing to 1.
 * @param seed same input and seed → same split; each split keeps the input order.
 */
export function iterativeStratifiedSplit<T extends { text: string; labels?: readonly string[] }>(
  examples: readonly T[],
  fractions: readonly [number, number, number],
  seed: number,
): [T[], T[], T[]] {
  const labelNames = sortLabels(examples.flatMap((e) => e.labels ?? []));
  const labelId = new Map(labelNames.map((l, i) => [l, i]));
  const byText = new Map<string, Group>();
  const groups: Group[] = [];
  examples.forEach((e, i) => {
    let group = byText.get(e.text);
    if (!group) {
      group = { indices: [], labels: [] };
      byText.set(e.text, group);
      groups.push(group);
    }
    group.indices.push(i);
    for (const name of e.labels ?? []) {
      const id = labelId.get(name)!;
      if (!group.labels.includes(id)) group.labels.push(id);
    }
  });
  const random = mulberry32(seed);
  // Shuffled once, so ties between examples of a label are broken by the seed, not by file order.
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [groups[i], groups[j]] = [groups[j]!, groups[i]!];
  }
  const splitsUsed = [0, 1, 2].filter((j) => fractions[j]! > 0);
  const k = labelNames.length;
  const wanted = fractions.map((f) => f * examples.length);
  const wantedPerLabel: number[][] = Array.from({ length: k }, () => [0, 0, 0]);
  const groupsOfLabel: Group[][] = Array.from({ length: k }, () => []);
  const unassignedOfLabel = new Array<number>(k).fill(0);
  for (const g of groups) {
    for (const l of g.labels) {
      groupsOfLabel[l]!.push(g);
      unassignedOfLabel[l]!++;
      for (let j = 0; j < 3; j++) wantedPerLabel[l]![j]! += fractions[j]! * g.indices.length;
    }
  }
  const splitOf = new Map<Group, number>();
  const assign = (g: Group, j: number): void => {
    splitOf.set(g, j);
    wanted[j]! -= g.indices.length;
    for (const l of g.labels) {
      wantedPerLabel[l]![j]! -= g.indices.length;
      unassignedOfLabel[l]!--;
    }
  };
  /** The best split by `score` (higher first), then by overall wants, then by a seeded coin. */
  const pick = (score: (j: number) => number): number => {
    let best: number[] = [];
    for (const j of splitsUsed) {
      if (best.length === 0) best = [j];
      else {
        const b = best[0]!;
        const cmp = score(j) - score(b) || wanted[j]! - wanted[b]!;
        if (cmp > 0) best = [j];
        else if (cmp === 0) best.push(j);
      }
    }
    return best.length === 1 ? best[0]! : best[Math.floor(random() * best.length)]!;
  };

  for (;;) {
    let label = -1;
    for (let l = 0; l < k; l++) {
      if (unassignedOfLabel[l]! > 0 && (label < 0 || unassignedOfLabel[l]! < unassignedOfLabel[label]!)) label = l;
    }
    if (label < 0) break;
    for (const g of groupsOfLabel[label]!) {
      if (!splitOf.has(g)) assign(g, pick((j) => wantedPerLabel[label]![j]!));
    }
  }
  for (const g of groups) if (!splitOf.has(g)) assign(g, pick(() => 0));

  keepEveryLabelInTraining(groups, splitOf, k);
  fillEmptySplits(groups, splitOf, fractions, k);
  const out: number[][] = [[], [], []];
  for (const g of groups) out[splitOf.get(g)!]!.push(...g.indices);
  return out.map((indices) => indices.sort((a, b) => a - b).map((i) => examples[i]!)) as [T[], T[], T[]];
}

/** A label whose every example landed in validation or test moves one of its groups into training. */
function keepEveryLabelInTraining(groups: readonly Group[], splitOf: Map<Group, number>, k: number): void {
  const inTrain = new Array<number>(k).fill(0);
  for (const g of groups) if (splitOf.get(g) === 0) for (const l of g.labels) inTrain[l]!++;
  for (const g of groups) {
    if (splitOf.get(g) !== 0 && g.labels.some((l) => inTrain[l] === 0)) {
      splitOf.set(g, 0);
      for (const l of g.labels) inTrain[l]!++;
    }
  }
}

/**
 * Small datasets can leave a wanted split empty (no early stopping without validation): it takes the last
 * training group whose labels all keep at least two training groups.
 */
function fillEmptySplits(groups: readonly Group[], splitOf: Map<Group, number>, fractions: readonly number[], k: number): void {
  for (const split of [1, 2]) {
    if (fractions[split]! <= 0 || groups.some((g) => splitOf.get(g) === split)) continue;
    const inTrain = new Array<number>(k).fill(0);
    let trainGroups = 0;
    for (const g of groups) {
      if (splitOf.get(g) !== 0) continue;
      trainGroups++;
      for (const l of g.labels) inTrain[l]!++;
    }
    if (trainGroups <= 2) continue;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i]!;
      if (splitOf.get(g) === 0 && g.labels.every((l) => inTrain[l]! >= 3)) {
        splitOf.set(g, split);
        break;
      }
    }
  }
}
