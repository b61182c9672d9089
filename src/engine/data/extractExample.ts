// Turns one parsed JSON object into (text, label) under a field mapping, or says exactly why it cannot.
import type { DatasetFieldMapping, DatasetProblemKind } from '../../protocol/dataset';
import { labelFieldCandidates, textFieldCandidates } from './detectFieldMapping';
import { isBlank } from './isBlank';
import { quoteForMessage } from './quoteForMessage';

export type ExtractedExample =
  /**
   * `labels` is present when the label was a list (a multi-label line): distinct names in list order, maybe
   * none; `label` is then the names joined by ", " (for messages only). `repeatedLabels` names what the list
   * held more than once.
   */
  | { ok: true; text: string; label: string; labelWasInteger: boolean; labels?: string[]; repeatedLabels?: string[] }
  /** `field` names the key the problem is about, so the caller can point a column at it. */
  | { ok: false; kind: DatasetProblemKind; message: string; field?: string };

const knownChatRoles = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/**
 * Extracts the example from `record`. Integer labels are mapped through `labelNames` when given (and must be
 * in range), else stringified; string labels are trimmed and, with `labelNames`, must be in the list.
 */
export function extractExample(record: Record<string, unknown>, mapping: DatasetFieldMapping | null, labelNames?: readonly string[]): ExtractedExample {
  if (mapping === null) {
    return { ok: false, kind: 'missingText', message: `No text field: looked for ${textFieldCandidates.join(', ')} and a chat "messages" list.` };
  }
  if (mapping.format === 'chat') return extractChat(record, labelNames);

  const { textField, labelField } = mapping;
  if (!Object.hasOwn(record, textField)) {
    const other = Object.hasOwn(record, 'messages') ? 'messages' : textFieldCandidates.find((k) => Object.hasOwn(record, k));
    if (other) return { ok: false, kind: 'mixedSchema', message: `This line has "${other}" where the file uses "${textField}".`, field: other };
    return { ok: false, kind: 'missingText', message: `The text field "${textField}" is missing.` };
  }
  const text = record[textField];
  if (typeof text !== 'string') {
    return { ok: false, kind: 'nonStringText', message: `The text field "${textField}" is ${describeValue(text)}, not a string.`, field: textField };
  }
  if (isBlank(text)) return { ok: false, kind: 'emptyText', message: `The text field "${textField}" is empty.`, field: textField };

  if (!Object.hasOwn(record, labelField)) {
    const other = labelFieldCandidates.find((k) => Object.hasOwn(record, k) && k !== textField);
    if (other) return { ok: false, kind: 'mixedSchema', message: `This line has "${other}" where the file uses "${labelField}".`, field: other };
    return { ok: false, kind: 'missingLabel', message: `The label field "${labelField}" is missing.` };
  }
  return withLabel(text, record[labelField], `The label field "${labelField}"`, labelField, labelNames);
}

function extractChat(record: Record<string, unknown>, labelNames?: readonly string[]): ExtractedExample {
  const messages = record.messages;
  if (messages === undefined) {
    const other = textFieldCandidates.find((k) => Object.hasOwn(record, k));
    if (other) return { ok: false, kind: 'mixedSchema', message: `This line has "${other}" where the file uses chat "messages".`, field: other };
    return { ok: false, kind: 'missingText', message: 'The "messages" list is missing.' };
  }
  if (!Array.isArray(messages)) return { ok: false, kind: 'chatBadMessages', message: `"messages" is ${describeValue(messages)}, not an array.`, field: 'messages' };
  let user: unknown;
  let assistant: unknown;
  let hasUser = false;
  let hasAssistant = false;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as unknown;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      return { ok: false, kind: 'chatBadMessages', message: `Message ${i + 1} is ${describeValue(m)}, not a {role, content} object.`, field: 'messages' };
    }
    const { role, content } = m as Record<string, unknown>;
    if (typeof role !== 'string' || !knownChatRoles.has(role)) {
      return { ok: false, kind: 'chatBadMessages', message: `Message ${i + 1} has role ${typeof role === 'string' ? quoteForMessage(role) : describeValue(role)}; expected system, user or assistant.`, field: 'messages' };
    }
    // The label is the last assistant reply; the text is the last user message before it.
    if (role === 'user' && !hasAssistant) {
      user = content;
      hasUser = true;
    } else if (role === 'assistant') {
      assistant = content;
      hasAssistant = true;
    }
  }
  if (!hasUser) return { ok: false, kind: 'chatNoUserMessage', message: 'No user message before the assistant message.', field: 'messages' };
  const text = contentText(user);
  if (text === undefined) return { ok: false, kind: 'nonStringText', message: `The user message content is ${describeValue(user)}, not text.`, field: 'messages' };
  if (isBlank(text)) return { ok: false, kind: 'emptyText', message: 'The user message is empty.', field: 'messages' };
  if (!hasAssistant) return { ok: false, kind: 'chatNoAssistantMessage', message: 'No assistant message: it should hold the label.', field: 'messages' };
  const label = contentText(assistant);
  return withLabel(text, label === undefined ? assistant : label, 'The assistant message content', 'messages', labelNames);
}

/** Chat content is a string or (newer OpenAI format) an array of parts of which the text parts count. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.length > 0 && content.every((p) => typeof p === 'object' && p !== null && (p as Record<string, unknown>).type === 'text' && typeof (p as Record<string, unknown>).text === 'string')) {
    return content.map((p) => (p as { text: string }).text).join('\n');
  }
  return undefined;
}

function withLabel(text: string, label: unknown, what: string, field: string, labelNames?: readonly string[]): ExtractedExample {
  if (label === null || label === undefined) return { ok: false, kind: 'missingLabel', message: `${what} is null.`, field };
  if (typeof label === 'string') {
    const name = label.trim();
    if (name === '') return { ok: false, kind: 'emptyLabel', message: `${what} is empty.`, field };
    if (labelNames && !labelNames.includes(name)) {
      return { ok: false, kind: 'labelOutOfRange', message: `Label ${quoteForMessage(name)} is not in the label-names list (${labelNames.length} names).`, field };
    }
    return { ok: true, text, label: name, labelWasInteger: false };
  }
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0) {
      return { ok: false, kind: 'invalidLabel', message: `${what} is ${label}: not a non-negative integer class id.`, field };
    }
    if (labelNames) {
      if (label >= labelNames.length) {
        return { ok: false, kind: 'labelOutOfRange', message: `Label id ${label} is out of range: the label-names list has ${labelNames.length} names (ids 0–${labelNames.length - 1}).`, field };
      }
      return { ok: true, text, label: labelNames[label], labelWasInteger: true };
    }
    return { ok: true, text, label: String(label), labelWasInteger: true };
  }
  if (typeof label === 'boolean') return { ok: true, text, label: String(label), labelWasInteger: false };
  if (Array.isArray(label)) return withLabelList(text, label, what, field, labelNames);
  return { ok: false, kind: 'nonScalarLabel', message: `${what} is ${describeValue(label)}: expected one string or integer.`, field };
}

/**
 * A label list (multi-label line): each item follows the one-label rules (names trimmed, integer ids mapped
 * through `labelNames`); an item that is itself a list or object, or fails those rules, makes the line unusable.
 * An empty list is valid: the text has none of the labels.
 */
function withLabelList(text: string, items: unknown[], what: string, field: string, labelNames?: readonly string[]): ExtractedExample {
  const labels: string[] = [];
  const repeated: string[] = [];
  let labelWasInteger = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemWhat = `${what} (item ${i + 1} of its list)`;
    if (typeof item === 'object' && item !== null) {
      return { ok: false, kind: 'nonScalarLabel', message: `${itemWhat} is ${describeValue(item)}: expected a string or integer.`, field };
    }
    const one = withLabel(text, item, itemWhat, field, labelNames);
    if (!one.ok) return one;
    if (i === 0) labelWasInteger = one.labelWasInteger;
    if (labels.includes(one.label)) {
      if (!repeated.includes(one.label)) repeated.push(one.label);
    } else {
      labels.push(one.label);
    }
  }
  const result: ExtractedExample = { ok: true, text, label: labels.join(', '), labelWasInteger, labels };
  if (repeated.length > 0) result.repeatedLabels = repeated;
  return result;
}

/** "null", "a number (3)", "an array of 2 items", ... for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'number': return `a number (${value})`;
    case 'boolean': return `a boolean (${value})`;
    case 'string': return 'a string';
    case 'object': return 'an object';
    default: return typeof value;
  }
}
