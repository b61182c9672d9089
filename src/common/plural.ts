// Counted nouns for messages and labels: "1 epoch", "26 epochs", "0 examples".

/** The noun for `count`: singular for exactly 1, else the plural (default `${singular}s`). */
export function noun(count: number, singular: string, pluralForm = `${singular}s`): string {
  return count === 1 ? singular : pluralForm;
}

/** `count` and its noun: `1 epoch`, `2 epochs`, `0 epochs`. The number is written as it is (no separators). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${noun(count, singular, pluralForm)}`;
}
