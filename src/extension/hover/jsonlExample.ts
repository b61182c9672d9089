// Reads the text and the given label of one JSONL line, with the field detection DESIGN.md describes
// (including OpenAI chat lines), for the hover on a dataset line.
import { labelFieldNames } from '../diagnostics/labelValueSpan';

/** Text field names tried in order, as the engine's field detection does. */
export const textFieldNames: readonly string[] = ['text', 'sentence', 'content', 'input', 'prompt'];

export interface JsonlExample {
  text: string;
  /** The given label as a string, if the line has one (a label list: its items joined by ", "). */
  label?: string;
  /** Multi-label lines: the given labels (maybe none). */
  labels?: string[];
}

/** `line` parsed as a JSON object, or undefined when it is not valid JSON or not an object. */
export function parseJsonObjectLine(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Returns the example on `line`, or undefined when it is not a JSON object with a non-empty text.
 * @param fields the dataset's text and label fields when known (a label-issue report says them); detected otherwise.
 */
export function readJsonlExample(line: string, fields: { textField?: string; labelField?: string } = {}): JsonlExample | undefined {
  const record = parseJsonObjectLine(line);
  if (!record) return undefined;
  if (Array.isArray(record.messages)) return readChat(record.messages);
  const textKey = (fields.textField ? [fields.textField] : textFieldNames).find((k) => typeof record[k] === 'string' && (record[k] as string).trim() !== '');
  if (!textKey) return undefined;
  const isLabelList = (v: unknown): v is (string | number)[] => Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number');
  const labelKey = (fields.labelField ? [fields.labelField] : labelFieldNames).find((k) => typeof record[k] === 'string' || typeof record[k] === 'number' || isLabelList(record[k]));
  const given = labelKey === undefined ? undefined : record[labelKey];
  if (isLabelList(given)) {
    const labels = [...new Set(given.map((l) => String(l).trim()))];
    return { text: record[textKey] as string, label: labels.join(', '), labels };
  }
  return { text: record[textKey] as string, label: given === undefined ? undefined : String(given) };
}

function readChat(messages: unknown[]): JsonlExample | undefined {
  const content = (role: string) =>
    messages
      .filter((m): m is { role: string; content: string } => !!m && typeof m === 'object' && (m as { role?: unknown }).role === role && typeof (m as { content?: unknown }).content === 'string')
      .map((m) => m.content)
      .pop();
  const text = content('user');
  if (!text || text.trim() === '') return undefined;
  return { text, label: content('assistant') };
}
