// Label-set checks across a dataset's files: labels that differ only in case or spacing, and evaluation labels
// the training split never has. Shared by `inspect` (what the Problems panel shows) and `loadDataset` (what
// `train` prints), so both say the same thing.
import { basename } from 'node:path';
import { makeProblem } from './datasetProblemCatalog';
import type { ProblemCollector } from './problemCollector';
import { quoteForMessage } from './quoteForMessage';
import { showInvisibleCharacters } from './describeCharacter';

/** A label quoted with its spacing kept (quoteForMessage collapses it, which would hide how variants differ). */
function quoteSpelling(label: string, max = 60): string {
  const shown = showInvisibleCharacters(label);
  return JSON.stringify(shown.length > max ? `${shown.slice(0, max - 1)}…` : shown);
}

/**
 * The key two spellings of one label share: NFKC, lower case, runs of whitespace (Unicode spaces too) as one
 * space. Labels are already trimmed when read (`extractExample`), so surrounding spaces never make a second class.
 */
export function labelFoldKey(label: string): string {
  return label.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Lines of one file named in a message: the first few, then how many more. */
const linesShown = 5;

/**
 * One `labelVariants` warning per group of labels of `file` that fold to the same key (`labelFoldKey`), at the
 * first line of the rarest spelling (usually the typo), related to the first line of the most frequent one.
 * Labels are never merged: a user's label is data, and "US" vs "us" can be two classes.
 * @param counts label → examples in `file`; `firstLine` label → its 1-based first line there.
 */
export function reportLabelVariants(file: string, counts: ReadonlyMap<string, number>, firstLine: ReadonlyMap<string, number>, problems: ProblemCollector): void {
  // Thousands of labels means a wrong label field (tooManyLabels says so); the check would only add noise.
  if (counts.size > 10_000) return;
  const groups = new Map<string, string[]>();
  for (const label of counts.keys()) {
    const key = labelFoldKey(label);
    const group = groups.get(key);
    if (group) group.push(label);
    else groups.set(key, [label]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // Most frequent first; ties by first line.
    group.sort((a, b) => counts.get(b)! - counts.get(a)! || firstLine.get(a)! - firstLine.get(b)!);
    const spellings = group.map((l) => {
      const n = counts.get(l)!;
      return `${quoteSpelling(l)} (${n} line${n === 1 ? '' : 's'}, first at line ${firstLine.get(l)})`;
    });
    const rarest = group[group.length - 1]!;
    problems.add(makeProblem('labelVariants', file, firstLine.get(rarest)!,
      `Labels ${spellings.slice(0, -1).join(', ')} and ${spellings[spellings.length - 1]} differ only in case or spacing, so they are ${group.length} separate classes.`,
      { related: { file, line: firstLine.get(group[0]!)! } }));
  }
}

/** An evaluation example as the check needs it: its file, 1-based line and labels. */
export interface LabelledLine {
  file: string;
  line: number;
  labels: readonly string[];
}

/**
 * Evaluation lines whose labels training lacks, gathered as the lines are read: per (file, label) only a count and
 * the first few lines are kept, so memory stays bounded however many such lines there are. `report` adds one
 * `labelNotInTrain` warning per (file, label), at its first line and listing the first few lines. Such lines are
 * kept in the data (see docs/ARCHITECTURE.md, "Labels only in evaluation").
 */
export class LabelsNotInTrain {
  private readonly unseen = new Map<string, { file: string; label: string; lines: number[]; count: number }>();

  constructor(private readonly trainLabels: ReadonlySet<string>) {}

  add({ file, line, labels }: LabelledLine): void {
    for (const label of labels) {
      if (this.trainLabels.has(label)) continue;
      const key = `${file}\u0000${label}`;
      let entry = this.unseen.get(key);
      if (!entry) this.unseen.set(key, (entry = { file, label, lines: [], count: 0 }));
      if (entry.count++ < linesShown) entry.lines.push(line);
    }
  }

  report(problems: ProblemCollector): void {
    if (this.unseen.size === 0) return;
    const byFold = new Map<string, string>();
    for (const label of this.trainLabels) if (!byFold.has(labelFoldKey(label))) byFold.set(labelFoldKey(label), label);
    for (const { file, label, lines: shown, count } of this.unseen.values()) {
      const where = `${basename(file)} line${count === 1 ? '' : 's'} ${shown.join(', ')}${count > shown.length ? ` and ${count - shown.length} more` : ''}`;
      const variant = byFold.get(labelFoldKey(label));
      problems.add(makeProblem('labelNotInTrain', file, shown[0]!,
        `Label ${quoteForMessage(label)} (${where}) is never seen in training; the model cannot learn it.${variant !== undefined ? ` Training has ${quoteForMessage(variant)}, which differs only in case or spacing.` : ''}`));
    }
  }
}
