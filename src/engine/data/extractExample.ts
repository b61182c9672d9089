// Turns one parsed JSON object into (text, label) under a field mapping, or says exactly why it cannot.
import type { DatasetFieldMapping, DatasetProblemKind } from '../../protocol/dataset';
import { labelFieldCandidates, textFieldCandidates } from './detectFieldMapping';
import { isBlank } from './isBlank';
import { quoteForMessage } from './quoteForMessage';
import { locateChatExample, type ChatContext, type ChatExampleLocation } from '../../protocol/chatExample';

export type ExtractedExample =
  /**
   * `labels` is present when the label was a list (a multi-label line): distinct names in list order, maybe
   * none; `label` is then the names joined by ", " (for messages only). `repeatedLabels` names what the list
   * held more than once. `note`: something the reader chose on this line that the user should see (a chat line's turns).
   */
  | { ok: true; text: string; label: string; labelWasInteger: boolean; labels?: string[]; repeatedLabels?: string[]; note?: string }
  /** `field` names the key the problem is about, so the caller can point a column at it. */
  | { ok: false; kind: DatasetProblemKind; message: string; field?: string };

/**
 * Names for integer labels (id → name) and where they come from: the user's list (`labelNames`: string labels
 * must then be in it too) or a model's `id2label` (`model`: string labels are left as they are, so labels the
 * model does not know can be counted).
 */
export interface LabelNaming {
  names: readonly string[];
  source: 'labelNames' | 'model';
}

/**
 * Extracts the example from `record`. Integer labels are mapped through `naming` when given (and must be in
 * range), else stringified; string labels are trimmed and, with a `labelNames` naming, must be in the list.
 * With `labelDelimiter`, a string label is a list of labels separated by it (`splitLabels`).
 */
export function extractExample(record: Record<string, unknown>, mapping: DatasetFieldMapping | null, naming?: LabelNaming, labelDelimiter?: string): ExtractedExample {
  if (mapping === null) {
    return { ok: false, kind: 'missingText', message: `No text field: looked for ${textFieldCandidates.join(', ')} and a chat "messages" list.` };
  }
  if (mapping.format === 'chat') return extractChat(record, mapping, naming);

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
  const label = record[labelField];
  if (labelDelimiter && typeof label === 'string') return withLabelList(text, splitLabels(label, labelDelimiter), `The label field "${labelField}"`, labelField, naming);
  return withLabel(text, label, `The label field "${labelField}"`, labelField, naming);
}

/**
 * A delimiter-separated label string as a list (`"anger|joy"` → ["anger", "joy"]): parts trimmed, empty parts
 * dropped; a part that is an integer is an integer id, as a JSON list's item would be.
 */
function splitLabels(label: string, delimiter: string): unknown[] {
  return label.split(delimiter).map((p) => p.trim()).filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function extractChat(record: Record<string, unknown>, mapping: { context?: ChatContext }, naming?: LabelNaming): ExtractedExample {
  const messages = record.messages;
  if (messages === undefined) {
    const other = textFieldCandidates.find((k) => Object.hasOwn(record, k));
    if (other) return { ok: false, kind: 'mixedSchema', message: `This line has "${other}" where the file uses chat "messages".`, field: other };
    return { ok: false, kind: 'missingText', message: 'The "messages" list is missing.' };
  }
  const where = locateChatExample(messages, mapping.context);
  if (!where.ok) {
    const list = messages as unknown[];
    switch (where.problem) {
      case 'notArray': return { ok: false, kind: 'chatBadMessages', message: `"messages" is ${describeValue(messages)}, not an array.`, field: 'messages' };
      case 'badMessage': return { ok: false, kind: 'chatBadMessages', message: `Message ${where.index! + 1} is ${describeValue(list[where.index!])}, not a {role, content} object.`, field: 'messages' };
      case 'badRole': {
        const role = (list[where.index!] as Record<string, unknown>).role;
        return { ok: false, kind: 'chatBadMessages', message: `Message ${where.index! + 1} has role ${typeof role === 'string' ? quoteForMessage(role) : describeValue(role)}; expected system, user or assistant.`, field: 'messages' };
      }
      case 'noAssistant': return { ok: false, kind: 'chatNoAssistantMessage', message: list.some((m) => (m as Record<string, unknown>).role === 'assistant') ? 'Every assistant message has "weight": 0, so none holds a label.' : 'No assistant message: it should hold the label.', field: 'messages' };
      case 'noUserBeforeLabel': return { ok: false, kind: 'chatNoUserMessage', message: `No user message before the assistant message that holds the label (message ${where.index! + 1}).`, field: 'messages' };
    }
  }
  const list = messages as Record<string, unknown>[];
  const user = list[where.userIndex]!.content;
  const userText = contentText(user);
  if (userText === undefined) return { ok: false, kind: 'nonStringText', message: `The user message content is ${describeValue(user)}, not text.`, field: 'messages' };
  if (isBlank(userText)) return { ok: false, kind: 'emptyText', message: 'The user message is empty.', field: 'messages' };
  const text = where.textIndices.length === 1 ? userText : where.textIndices.map((i) => contentText(list[i]!.content)).filter((t) => t !== undefined && !isBlank(t)).join('\n');
  const assistant = list[where.labelIndex]!.content;
  const label = contentText(assistant);
  const result = withLabel(text, label === undefined ? assistant : label, 'The assistant message content', 'messages', naming);
  if (result.ok && where.chose) result.note = describeChatChoice(list.length, where);
  return result;
}

/** The note `inspect` shows for a chat line whose shape made `locateChatExample` choose. */
function describeChatChoice(count: number, where: Extract<ChatExampleLocation, { ok: true }>): string {
  const text = where.textIndices.length === 1 ? `the text is message ${where.userIndex + 1} (the user turn the label answers)` : `the text is messages 1–${where.labelIndex} joined`;
  const parts = [`${count} messages: ${text}, the label is message ${where.labelIndex + 1}`];
  const ignored = count - where.textIndices.length - 1;
  if (ignored > 0) parts.push(`${ignored} other message${ignored === 1 ? ' is' : 's are'} ignored`);
  if (where.zeroWeight.length > 0) parts.push(`assistant message${where.zeroWeight.length === 1 ? '' : 's'} ${where.zeroWeight.map((i) => i + 1).join(', ')} ${where.zeroWeight.length === 1 ? 'has' : 'have'} "weight": 0 and ${where.zeroWeight.length === 1 ? 'is' : 'are'} not a label`);
  return `Chat line with ${parts.join('; ')}.`;
}

/** Chat content is a string or (newer OpenAI format) an array of parts of which the text parts count. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.length > 0 && content.every((p) => typeof p === 'object' && p !== null && (p as Record<string, unknown>).type === 'text' && typeof (p as Record<string, unknown>).text === 'string')) {
    return content.map((p) => (p as { text: string }).text).join('\n');
  }
  return undefined;
}

function withLabel(text: string, label: unknown, what: string, field: string, naming?: LabelNaming): ExtractedExample {
  const list = naming?.source === 'model' ? "the model's id2label" : 'the label-names list';
  if (label === null || label === undefined) return { ok: false, kind: 'missingLabel', message: `${what} is null.`, field };
  if (typeof label === 'string') {
    const name = label.trim();
    if (name === '') return { ok: false, kind: 'emptyLabel', message: `${what} is empty.`, field };
    if (naming?.source === 'labelNames' && !naming.names.includes(name)) {
      return { ok: false, kind: 'labelOutOfRange', message: `Label ${quoteForMessage(name)} is not in ${list} (${naming.names.length} names).`, field };
    }
    return { ok: true, text, label: name, labelWasInteger: false };
  }
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0) {
      return { ok: false, kind: 'invalidLabel', message: `${what} is ${label}: not a non-negative integer class id.`, field };
    }
    if (naming) {
      if (label >= naming.names.length) {
        return { ok: false, kind: 'labelOutOfRange', message: `Label id ${label} is out of range: ${list} has ${naming.names.length} names (ids 0–${naming.names.length - 1}).`, field };
      }
      return { ok: true, text, label: naming.names[label]!, labelWasInteger: true };
    }
    return { ok: true, text, label: String(label), labelWasInteger: true };
  }
  if (typeof label === 'boolean') return { ok: true, text, label: String(label), labelWasInteger: false };
  if (Array.isArray(label)) return withLabelList(text, label, what, field, naming);
  return { ok: false, kind: 'nonScalarLabel', message: `${what} is ${describeValue(label)}: expected one string or integer.`, field };
}

/**
 * A label list (multi-label line): each item follows the one-label rules (names trimmed, integer ids mapped
 * through `naming`); an item that is itself a list or object, or fails those rules, makes the line unusable.
 * An empty list is valid: the text has none of the labels.
 */
function withLabelList(text: string, items: unknown[], what: string, field: string, naming?: LabelNaming): ExtractedExample {
  const labels: string[] = [];
  const repeated: string[] = [];
  let labelWasInteger = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemWhat = `${what} (item ${i + 1} of its list)`;
    if (typeof item === 'object' && item !== null) {
      return { ok: false, kind: 'nonScalarLabel', message: `${itemWhat} is ${describeValue(item)}: expected a string or integer.`, field };
    }
    const one = withLabel(text, item, itemWhat, field, naming);
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
