// Finds where a JSONL line's label value sits, character for character, so the relabel fix can replace only
// those characters: key order, spacing and escapes elsewhere in the line stay exactly as the user wrote them.
// A small scanner rather than JSON.parse, because parsing loses positions.
import { locateChatExample } from '../../protocol/chatExample';
import type { DatasetFieldMapping } from '../../protocol/dataset';

/** Field names treated as the label when none is given, in DESIGN.md's detection order. */
export const labelFieldNames = ['label', 'labels', 'category', 'intent', 'class', 'completion'] as const;

/** Where a value is in the line: `[start, end)` in UTF-16 code units (what VS Code positions count). */
export interface ValueSpan {
  start: number;
  end: number;
  /** The value's source text, e.g. `"love"` or `3`. */
  raw: string;
  /** The decoded key it belongs to. */
  key: string;
  /** Keys and indices from the line's object to the value: `['category']`, `['messages', 3, 'content']`. */
  path: (string | number)[];
}

/**
 * Which field holds the label: the engine's mapping of the file (`LabelIssueReport.fieldMapping`), a label key, or
 * undefined to detect it on the line (a `messages` list makes it a chat line, as the engine's detection does).
 */
export type LabelSource = DatasetFieldMapping | string | undefined;

/**
 * The path of the label in a parsed line by the engine's own extraction rule (`extractExample`): a fields-format
 * line's label is `record[labelField]` (the last of duplicate keys, as JSON.parse keeps it); a chat line's is the
 * `content` of the message `locateChatExample` picks. Undefined when the line has no label there.
 */
export function labelPath(record: Record<string, unknown>, source: LabelSource): (string | number)[] | undefined {
  const mapping: DatasetFieldMapping | undefined = typeof source === 'string' ? { format: 'fields', textField: '', labelField: source, detected: false } : source;
  if (mapping?.format === 'chat' || (!mapping && Object.hasOwn(record, 'messages'))) {
    const where = locateChatExample(record.messages, mapping?.format === 'chat' ? mapping.context : undefined);
    return where.ok ? ['messages', where.labelIndex, 'content'] : undefined;
  }
  const field = mapping?.labelField ?? labelFieldNames.find((name) => Object.hasOwn(record, name));
  return field !== undefined && Object.hasOwn(record, field) ? [field] : undefined;
}

/** The value at `path` in a parsed line. */
function valueAt(record: unknown, path: readonly (string | number)[]): unknown {
  let value = record;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

/**
 * Returns the span of the label value in one JSONL line, or undefined when the line is not a JSON object or has no
 * label where the engine reads it (`labelPath`). Keys are compared decoded (`"l\u0061bel"` is `label`) and the last
 * of duplicate keys wins, as in JSON.parse, so the span is exactly the value the engine took the label from.
 * @param line the raw line without its line break.
 * @param source the engine's field mapping, a label key, or undefined to detect it on the line.
 */
export function findLabelValueSpan(line: string, source?: LabelSource): ValueSpan | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const path = labelPath(record as Record<string, unknown>, source);
  const label = path && valueAt(record, path);
  if (!path || !(typeof label === 'string' || typeof label === 'number')) return undefined;
  return spanAt(line, path);
}

/** Where the value at `path` is in `line` (the last of duplicate keys, as JSON.parse keeps it). */
function spanAt(line: string, path: (string | number)[]): ValueSpan | undefined {
  try {
    let span: { start: number; end: number } | undefined = { start: 0, end: line.length };
    for (const step of path) {
      const scanner: Scanner = new Scanner(line, span.start);
      if (typeof step === 'number') span = scanner.arrayElements()?.[step];
      else span = scanner.objectMembers()?.filter((m: Member) => m.key === step).at(-1);
      if (!span) return undefined;
    }
    return { start: span.start, end: span.end, raw: line.slice(span.start, span.end), key: String(path.at(-1)), path };
  } catch {
    return undefined;
  }
}

/** One label to add to or remove from a multi-label line's list. */
export interface LabelListChange {
  action: 'add' | 'remove';
  label: string;
}

/** The label list of a parsed line where the engine reads it, as strings, or undefined when it is not a list. */
function labelListAt(line: string, source: LabelSource): { path: (string | number)[]; items: string[]; numeric: boolean } | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const path = labelPath(record as Record<string, unknown>, source);
  const list = path && valueAt(record, path);
  if (!path || !Array.isArray(list) || !list.every((x) => typeof x === 'string' || typeof x === 'number')) return undefined;
  return { path, items: list.map(String), numeric: list.length > 0 && list.every((x) => typeof x === 'number') };
}

/** The span of a multi-label line's label list (where a diagnostic about it sits), or undefined when there is none. */
export function findLabelListSpan(line: string, source?: LabelSource): ValueSpan | undefined {
  const list = labelListAt(line, source);
  return list && spanAt(line, list.path);
}

/**
 * The replacement of a multi-label line's label list with one label added (at the end) or removed: the span of
 * the list value and its new text. The other items keep their source text and the list its separator, so the
 * edit rewrites exactly that JSON value. Undefined when the label value is not a list, the change is a no-op
 * (adding a label already there, removing one that is not), a name would go into a list of integer ids, or the
 * edited line would not read back as exactly the expected list.
 * @param line the raw line without its line break; `source` as for `findLabelValueSpan`.
 */
export function labelListEdit(line: string, change: LabelListChange, source?: LabelSource): { start: number; end: number; text: string } | undefined {
  const list = labelListAt(line, source);
  const span = list && spanAt(line, list.path);
  const elements = span && new Scanner(line, span.start).arrayElementsOrUndefined();
  if (!list || !span || !elements || elements.length !== list.items.length) return undefined;
  const raw = elements.map((e) => line.slice(e.start, e.end));
  let kept: string[];
  let expected: string[];
  if (change.action === 'remove') {
    const at = list.items.indexOf(change.label);
    if (at < 0) return undefined;
    kept = raw.filter((_, i) => list.items[i] !== change.label);
    expected = list.items.filter((l) => l !== change.label);
  } else {
    if (list.items.includes(change.label)) return undefined;
    const integer = /^\d+$/.test(change.label);
    if (list.numeric && !integer) return undefined;
    kept = [...raw, list.numeric ? change.label : JSON.stringify(change.label)];
    expected = [...list.items, change.label];
  }
  const separator = elements.length >= 2 ? line.slice(elements[0].end, elements[1].start) : ', ';
  const text = `[${kept.join(separator)}]`;
  const edited = line.slice(0, span.start) + text + line.slice(span.end);
  const check = labelListAt(edited, source);
  if (!check || check.path.join('\u0000') !== list.path.join('\u0000') || check.items.join('\u0000') !== expected.join('\u0000')) return undefined;
  return { start: span.start, end: span.end, text };
}

/**
 * The text that replaces a label value: a JSON string, or a bare integer when the line held a number and the
 * new label is an integer too (integer-labelled files stay integer-labelled).
 */
export function labelValueText(original: ValueSpan, newLabel: string): string {
  if (/^-?\d/.test(original.raw) && /^\d+$/.test(newLabel)) return newLabel;
  return JSON.stringify(newLabel);
}

/**
 * Returns `line` with only the label value replaced, or undefined when there is no label to replace, or when the
 * edited line, read again by the same rule, would not give `newLabel` (the edit never lands on another field).
 */
export function relabelLine(line: string, newLabel: string, source?: LabelSource): string | undefined {
  const span = findLabelValueSpan(line, source);
  if (!span) return undefined;
  const edited = line.slice(0, span.start) + labelValueText(span, newLabel) + line.slice(span.end);
  const check = findLabelValueSpan(edited, source);
  if (!check || check.path.join('\u0000') !== span.path.join('\u0000')) return undefined;
  const value = valueAt(JSON.parse(edited), check.path);
  return String(value) === newLabel ? edited : undefined;
}

interface Member {
  key: string;
  start: number;
  end: number;
}

/** A strict-enough JSON scanner over one line that records where each value starts and ends. */
class Scanner {
  constructor(private readonly text: string, private pos = 0) {}

  /** Members of the object at the cursor (after whitespace), or undefined if it is not an object. */
  objectMembers(): Member[] | undefined {
    this.skipSpace();
    if (this.text[this.pos] !== '{') return undefined;
    this.pos++;
    const members: Member[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') { this.pos++; return members; }
    for (;;) {
      this.skipSpace();
      const keyStart = this.pos;
      this.skipString();
      const key = JSON.parse(this.text.slice(keyStart, this.pos)) as string;
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      const start = this.pos;
      this.skipValue();
      members.push({ key, start, end: this.pos });
      this.skipSpace();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      this.expect('}');
      return members;
    }
  }

  /** Spans of the elements of the array at the cursor, or undefined if it is not an array. */
  arrayElements(): { start: number; end: number }[] | undefined {
    this.skipSpace();
    if (this.text[this.pos] !== '[') return undefined;
    this.pos++;
    const elements: { start: number; end: number }[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') { this.pos++; return elements; }
    for (;;) {
      this.skipSpace();
      const start = this.pos;
      this.skipValue();
      elements.push({ start, end: this.pos });
      this.skipSpace();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      this.expect(']');
      return elements;
    }
  }

  /** `arrayElements`, or undefined when the text is not valid JSON there. */
  arrayElementsOrUndefined(): { start: number; end: number }[] | undefined {
    try {
      return this.arrayElements();
    } catch {
      return undefined;
    }
  }

  private skipValue(): void {
    const c = this.text[this.pos];
    if (c === '"') return this.skipString();
    // Both consume the closing bracket.
    if (c === '{') { this.objectMembers(); return; }
    if (c === '[') { this.arrayElements(); return; }
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!literal) throw new Error(`unexpected ${c} at ${this.pos}`);
    this.pos += literal[0].length;
  }

  private skipString(): void {
    this.expect('"');
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === '\\') this.pos++;
      else if (c === '"') return;
    }
    throw new Error('unterminated string');
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n\uFEFF'.includes(this.text[this.pos])) this.pos++;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new Error(`expected ${c} at ${this.pos}`);
    this.pos++;
  }
}
