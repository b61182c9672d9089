// The confidence threshold: a prediction whose top probability is below it is reported as UNCERTAIN.

/** The label reported instead of a class when the model is not confident enough. */
export const UNCERTAIN = 'UNCERTAIN';

/**
 * The label to show for one row of probabilities.
 * @param row class probabilities, length K.
 * @param labels the label map, length K.
 * @param threshold minimum top probability in [0, 1], or one per class (index = label id of the arg-max, K values);
 *   0 (default) never yields UNCERTAIN.
 * @returns the arg-max label, or `UNCERTAIN` when its probability is below its threshold.
 */
export function labelWithThreshold(row: ArrayLike<number>, labels: readonly string[], threshold: number | readonly number[] = 0): string {
  let best = 0;
  for (let c = 1; c < labels.length; c++) if (row[c]! > row[best]!) best = c;
  const bar = typeof threshold === 'number' ? threshold : (threshold[best] ?? 0);
  return row[best]! < bar ? UNCERTAIN : labels[best]!;
}
