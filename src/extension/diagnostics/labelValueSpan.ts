// Finds where a JSONL line's label value sits, character for character, so the relabel fix can replace only
// those characters: key order, spacing and escapes elsewhere in the line stay exactly as the user wrote them.
// A small scanner rather than JSON.parse, because parsing loses positions.
import { locateChatExample } from '../../protocol/chatExample';

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
}

/**
 * Returns the span of the label value in one JSONL line, or undefined when the line is not a JSON object
 * or has no such key. For chat lines (`messages`) it is the `content` of the message that holds the label
 * (`locateChatExample`: the last assistant message without `"weight": 0`).
 * @param line the raw line without its line break.
 * @param labelField the key to look for; default the first of `labelFieldNames` present.
 */
export function findLabelValueSpan(line: string, labelField?: string): ValueSpan | undefined {
  const scanner = new Scanner(line);
  try {
    const members = scanner.objectMembers();
    if (!members || !scanner.restIsSpace()) return undefined;
    const wanted = labelField ? [labelField] : labelFieldNames;
    for (const name of wanted) {
      const found = [...members].reverse().find((m) => m.key === name); // JSON.parse keeps the last duplicate key
      if (found) return { start: found.start, end: found.end, raw: line.slice(found.start, found.end), key: found.key };
    }
    const messages = members.find((m) => m.key === 'messages');
    if (messages && !labelField) return assistantContentSpan(line, messages.start);
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text that replaces a label value: a JSON string, or a bare integer when the line held a number and the
 * new label is an integer too (integer-labelled files stay integer-labelled).
 */
export function labelValueText(original: ValueSpan, newLabel: string): string {
  if (/^-?\d/.test(original.raw) && /^\d+$/.test(newLabel)) return newLabel;
  return JSON.stringify(newLabel);
}

/** Returns `line` with only the label value replaced, or undefined when there is no label to replace. */
export function relabelLine(line: string, newLabel: string, labelField?: string): string | undefined {
  const span = findLabelValueSpan(line, labelField);
  if (!span) return undefined;
  return line.slice(0, span.start) + labelValueText(span, newLabel) + line.slice(span.end);
}

/** The `content` span of the message that holds the label by the shared chat rule (`locateChatExample`). */
function assistantContentSpan(line: string, arrayStart: number): ValueSpan | undefined {
  const where = locateChatExample((JSON.parse(line) as { messages?: unknown }).messages);
  if (!where.ok) return undefined;
  const element = new Scanner(line, arrayStart).arrayElements()?.[where.labelIndex];
  const content = element && new Scanner(line, element.start).objectMembers()?.find((m) => m.key === 'content');
  return content && { start: content.start, end: content.end, raw: line.slice(content.start, content.end), key: 'content' };
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

  /** True when only whitespace follows the cursor. */
  restIsSpace(): boolean {
    this.skipSpace();
    return this.pos === this.text.length;
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
