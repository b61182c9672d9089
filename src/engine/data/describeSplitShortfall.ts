// Says why a stratified split came out other than its fractions: per-class rounding leaves a class of 1-4 lines
// nothing to hold out at 10 %, so a dataset of many tiny classes (200 banking77 lines, 69 labels) splits 180/10/10
// where 160/20/20 was asked. run.json records the counts; this sentence is what the log and report.md print.
import { exampleLabels, type Example } from './example';

/**
 * A sentence when the sizes of `actual` ([train, validation, test]) differ from `fractions` of all examples by
 * more than rounding (more than 1 line and 10 % of the asked size in validation or test), naming how many classes
 * were too small to give that split a line; undefined when the split is as asked.
 * @param fractions the asked shares, summing to 1 (0 for a split not carved here, which is then ignored).
 */
export function describeSplitShortfall(actual: readonly [readonly Example[], readonly Example[], readonly Example[]], fractions: readonly [number, number, number]): string | undefined {
  const sizes = actual.map((s) => s.length);
  const total = sizes[0]! + sizes[1]! + sizes[2]!;
  const asked = fractions.map((f) => Math.round(f * total));
  const off = [1, 2].some((s) => fractions[s]! > 0 && Math.abs(sizes[s]! - asked[s]!) > Math.max(1, 0.1 * asked[s]!));
  if (!off) return undefined;
  const carved = [1, 2].filter((s) => fractions[s]! > 0);
  const pct = (n: number) => `${Math.round(100 * n)}%`;
  const names = ['train', 'validation', 'test'];
  const got = carved.length === 2 ? `${sizes[0]}/${sizes[1]}/${sizes[2]}` : `${sizes[0]} train / ${sizes[carved[0]!]} ${names[carved[0]!]}`;
  const want = carved.length === 2 ? `${asked[0]}/${asked[1]}/${asked[2]} (${fractions.map(pct).join('/')})` : `${asked[0]}/${asked[carved[0]!]} (${pct(fractions[0])}/${pct(fractions[carved[0]!]!)})`;
  // The smallest carved share decides which classes get no line: round(size × f) = 0 for size < 0.5 / f.
  const smallest = Math.min(...carved.map((s) => fractions[s]!));
  const counts = new Map<string, number>();
  for (const split of actual) for (const e of split) for (const l of exampleLabels(e)) counts.set(l, (counts.get(l) ?? 0) + 1);
  const tooSmall = [...counts.values()].filter((n) => Math.round(n * smallest) === 0).length;
  const limit = Math.ceil(0.5 / smallest);
  const why = tooSmall > 0
    ? `the split is stratified by label (each class split in the asked shares, rounded), and ${tooSmall} of ${counts.size} classes have fewer than ${limit} examples, so their ${pct(smallest)} rounds to none and their lines stay in training`
    : 'the split is stratified by label and keeps identical texts together, so per-class rounding moved lines';
  return `split ${got} instead of ${want}: ${why}.`;
}
