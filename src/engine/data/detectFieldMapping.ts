// Decides where text and label live in a file's objects: explicit field names, the usual field names
// (majority over the first lines), or the OpenAI chat format.
import type { DatasetFieldMapping, DatasetReadOptions } from '../../protocol/dataset';

/** Field names tried for the text, in order of preference when counts tie. */
export const textFieldCandidates = ['text', 'sentence', 'content', 'input', 'prompt'] as const;
/** Field names tried for the label, in order of preference when counts tie. */
export const labelFieldCandidates = ['label', 'labels', 'category', 'intent', 'class', 'completion'] as const;

/** What decides the mapping: explicit fields, and for chat lines which turns make the text. */
export type FieldOptions = Pick<DatasetReadOptions, 'textField' | 'labelField' | 'chatContext'>;

/**
 * The mapping for a file whose first objects are `samples`. Explicit options win; otherwise the chat format
 * when most samples have `messages`, else the most common text and label candidate fields. Returns null when
 * no text field can be found (every line will then be reported as missing its text).
 */
export function detectFieldMapping(samples: readonly Record<string, unknown>[], options: FieldOptions = {}): DatasetFieldMapping | null {
  if (options.textField) {
    const labelField = options.labelField ?? mostCommonKey(samples, labelFieldCandidates, options.textField) ?? 'label';
    return { format: 'fields', textField: options.textField, labelField, detected: false };
  }
  const chatCount = samples.filter((s) => Object.hasOwn(s, 'messages')).length;
  const textField = mostCommonKey(samples, textFieldCandidates);
  const textCount = textField ? samples.filter((s) => Object.hasOwn(s, textField)).length : 0;
  if (chatCount > 0 && chatCount >= textCount && !options.labelField) {
    return options.chatContext && options.chatContext !== 'lastUser' ? { format: 'chat', detected: true, context: options.chatContext } : { format: 'chat', detected: true };
  }
  if (!textField) return null;
  const labelField = options.labelField ?? mostCommonKey(samples, labelFieldCandidates, textField) ?? 'label';
  return { format: 'fields', textField, labelField, detected: options.labelField === undefined };
}

function mostCommonKey(samples: readonly Record<string, unknown>[], candidates: readonly string[], exclude?: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const key of candidates) {
    if (key === exclude) continue;
    let count = 0;
    for (const s of samples) if (Object.hasOwn(s, key)) count++;
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}
