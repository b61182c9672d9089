// The file names that mark a dataset split: the engine pairs `train.jsonl` with `validation.jsonl`/`test.jsonl` by
// them, and the extension keeps evaluation splits out of the way where the user picks a file to train on.

/** Words that name a validation split, in the order the engine tries them next to a training file. */
export const validationSplitNames: readonly string[] = ['validation', 'val', 'dev', 'valid'];
/** Words that name a test split. */
export const testSplitNames: readonly string[] = ['test'];

/**
 * The evaluation split a file name says it is (`test.jsonl`, `emotion_val.csv`, `dev-set.tsv`), or undefined for a
 * training file or any other name. The name's words (split on anything but letters and digits) are compared whole,
 * case-insensitively, so `latest.jsonl` or `devices.csv` are not splits.
 */
export function evaluationSplitOf(path: string): 'validation' | 'test' | undefined {
  const name = path.split(/[\\/]/).pop() ?? path;
  const words = name.replace(/\.[^.]*$/, '').toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => testSplitNames.includes(w))) return 'test';
  if (words.some((w) => validationSplitNames.includes(w))) return 'validation';
  return undefined;
}
