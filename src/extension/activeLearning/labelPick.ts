// The quick-pick items that label one suggestion: every label, the model's most probable first with its
// probability, the predicted ones pre-selected for multi-label data; then "Skip this line". No vscode import.
import type { LabelSuggestion } from '../../protocol/activeLearning';

export const skipItemId = 'skip';

export interface LabelPickItem {
  /** `label:<name>` or `skip`. */
  id: string;
  label: string;
  description?: string;
  picked?: boolean;
  /** Set on label items. */
  value?: string;
  alwaysShow?: boolean;
}

/**
 * Items for `suggestion` over the label map `labels`: labels by descending probability (ties in label-map order),
 * each with its percent; multi-label: the labels the model predicts are `picked`. Ends with the skip item.
 */
export function labelPickItems(suggestion: LabelSuggestion, labels: readonly string[], multiLabel: boolean): LabelPickItem[] {
  const probabilities = suggestion.prediction.probabilities;
  const predicted = new Set(suggestion.prediction.labels ?? []);
  const order = labels.map((label, c) => ({ label, p: probabilities[c] ?? 0, c })).sort((a, b) => b.p - a.p || a.c - b.c);
  const items: LabelPickItem[] = order.map(({ label, p }, rank) => ({
    id: `label:${label}`,
    label,
    description: `${(p * 100).toFixed(1)}%${rank === 0 && !multiLabel ? ' · model\'s guess' : ''}`,
    value: label,
    ...(multiLabel && predicted.has(label) ? { picked: true } : {}),
  }));
  items.push({ id: skipItemId, label: '$(eye-closed) Skip this line', description: 'not offered again for this file', alwaysShow: true });
  return items;
}

/** One line of text for the quick pick's title or a tree item: whitespace collapsed, cut to `max` characters. */
export function shortText(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
