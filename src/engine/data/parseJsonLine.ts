// JSON.parse for one line, turning V8's error message into a short reason and a 1-based column.
import { describeInvisibleCharacter, showInvisibleCharacters } from './describeCharacter';

export type ParsedJsonLine = { ok: true; value: unknown } | { ok: false; reason: string; column?: number };

/**
 * Parses one JSONL line. Returns the value, or a reason without the echoed source text (V8 quotes the whole
 * input, which for a long line would flood the report) and the column where parsing stopped, when known.
 */
export function parseJsonLine(text: string): ParsedJsonLine {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, ...describeJsonError((err as Error).message, text) };
  }
}

function describeJsonError(message: string, text: string): { reason: string; column?: number } {
  const at = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
  if (at) {
    const column = Number(at[2]) + 1;
    const char = text.slice(column - 1).codePointAt(0);
    const invisible = char === undefined ? undefined : describeInvisibleCharacter(String.fromCodePoint(char));
    return { reason: invisible ? `${at[1]}: an invisible ${invisible}` : showInvisibleCharacters(at[1]), column };
  }
  if (/Unexpected end of JSON input/.test(message)) return { reason: 'Unexpected end of line (the JSON is cut off)', column: text.length + 1 };
  // V8 gives no position for an unexpected token: the column is given only when the token occurs once in the line.
  const token = /^Unexpected token '(.*?)',/su.exec(message);
  if (token) {
    const index = text.indexOf(token[1]!);
    const invisible = describeInvisibleCharacter(token[1]!);
    const reason = invisible ? `Unexpected invisible character ${invisible}` : `Unexpected token '${token[1]}'`;
    return index >= 0 && text.indexOf(token[1]!, index + 1) < 0 ? { reason, column: index + 1 } : { reason };
  }
  const reason = showInvisibleCharacters(message);
  return { reason: reason.length > 200 ? `${reason.slice(0, 200)}…` : reason };
}
