// The JSONL text of a newly labelled line, for appending to the training file or for labelling an unlabeled line
// of the training file in place. No vscode import: unit tests call it directly.
import { labelFieldNames } from '../diagnostics/labelValueSpan';
import { parseJsonObjectLine, textFieldNames } from '../hover/jsonlExample';

/** The field names a training file uses, as `textField`/`labelField` settings or detection found them. */
export interface TrainingFields {
  textField: string;
  labelField: string;
}


/**
 * The text and label fields of a training file from its first object line (the engine's candidate names, in its
 * order of preference), overridden by the user's settings. Defaults `text` / `label` for an empty file.
 * @throws Error when the file is in the chat format (a labelled chat line cannot be built from a text alone).
 */
export function detectTrainingFields(lines: readonly string[], settings: Partial<TrainingFields> = {}): TrainingFields {
  let sample: Record<string, unknown> | undefined;
  for (const line of lines) {
    sample = parseJsonObjectLine(line);
    if (sample) break;
  }
  if (sample && Object.hasOwn(sample, 'messages') && !settings.textField) {
    throw new Error('the training file is in the chat format ("messages"); labelled lines can only be added to files of {"text": ..., "label": ...} objects');
  }
  const present = (names: readonly string[]) => names.find((n) => sample && Object.hasOwn(sample, n));
  return {
    textField: settings.textField ?? present(textFieldNames) ?? 'text',
    labelField: settings.labelField ?? present(labelFieldNames.filter((n) => n !== settings.textField)) ?? 'label',
  };
}

/** `{"<textField>": text, "<labelField>": label}` — a list of labels for multi-label data. */
export function formatLabelledLine(text: string, labels: readonly string[], multiLabel: boolean, fields: TrainingFields): string {
  return JSON.stringify({ [fields.textField]: text, [fields.labelField]: multiLabel ? [...labels] : labels[0] });
}

/**
 * `line` (an unlabeled JSONL object line whose text is `text`) with its label set, other fields and their order
 * kept; undefined when the line no longer holds that text without a label (it was edited meanwhile).
 */
export function labelLineInPlace(line: string, text: string, labels: readonly string[], multiLabel: boolean, fields: TrainingFields): string | undefined {
  const record = parseJsonObjectLine(line);
  if (!record) return undefined;
  const current = record[fields.labelField];
  if (typeof record[fields.textField] !== 'string' || (record[fields.textField] as string).trim() !== text.trim()) return undefined;
  if (current !== undefined && current !== null && current !== '') return undefined;
  return JSON.stringify({ ...record, [fields.labelField]: multiLabel ? [...labels] : labels[0] });
}
