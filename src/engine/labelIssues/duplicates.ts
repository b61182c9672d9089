// Duplicates that make labels disagree with themselves: the same text (exactly, or after normalisation) given
// different labels. No model is needed; these are certain problems, unlike the probabilistic ones of findIssues.
import type { DuplicateLabelIssue } from '../../protocol/labelIssueReport';

/** A set of examples whose texts are the same, exactly or after `normalizeText`. */
export interface DuplicateGroup {
  /** `exact`: every raw text is identical; `near`: identical only after normalisation. */
  kind: 'exact' | 'near';
  /** The shared normalised text. */
  normalizedText: string;
  /** Row indices of the members, ascending. */
  indices: number[];
  /** The distinct labels among the members, sorted. */
  labels: string[];
  /** More than one distinct label. */
  conflicting: boolean;
}

export interface FindDuplicatesOptions {
  /** Also return groups whose members all carry the same label (useful for leakage checks). Default false. */
  includeConsistent?: boolean;
}

/**
 * The key near-duplicates share: Unicode NFKC, lower case, punctuation and symbols removed, whitespace collapsed.
 * Chosen to catch copy-paste variants ("Great!!" vs "great") without merging texts that differ in words.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/gu, ' ').trim();
}

/**
 * Returns groups of two or more examples with the same normalised text, conflicting groups first, then by
 * first index. By default only groups with conflicting labels are returned.
 * @param examples texts and their given labels, in dataset order (indices refer to this array).
 */
export function findDuplicateGroups(examples: readonly { text: string; label: string }[], options: FindDuplicatesOptions = {}): DuplicateGroup[] {
  const byKey = new Map<string, number[]>();
  examples.forEach((example, i) => {
    const key = normalizeText(example.text);
    if (key === '') return;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  const groups: DuplicateGroup[] = [];
  for (const [normalizedText, indices] of byKey) {
    if (indices.length < 2) continue;
    const labels = [...new Set(indices.map((i) => examples[i].label))].sort();
    const conflicting = labels.length > 1;
    if (!conflicting && !options.includeConsistent) continue;
    const first = examples[indices[0]].text;
    const kind = indices.every((i) => examples[i].text === first) ? 'exact' : 'near';
    groups.push({ kind, normalizedText, indices, labels, conflicting });
  }
  return groups.sort((a, b) => Number(b.conflicting) - Number(a.conflicting) || a.indices[0] - b.indices[0]);
}

/**
 * The conflicting duplicate groups of a label-issue report, members named by file and line with their own label.
 * @param compareBy the labels groups are compared by, index for index with `examples` (default: `examples`
 *   themselves; multi-label reports pass each line's sorted label set, so order within a list does not count)
 */
export function conflictingDuplicates(
  examples: readonly { file: string; line: number; text: string; label: string }[],
  compareBy: readonly { text: string; label: string }[] = examples,
): DuplicateLabelIssue[] {
  return findDuplicateGroups(compareBy).map((g) => ({
    kind: g.kind,
    normalizedText: g.normalizedText,
    labels: g.labels,
    members: g.indices.map((i) => ({ file: examples[i]!.file, line: examples[i]!.line, label: examples[i]!.label, text: examples[i]!.text })),
  }));
}
