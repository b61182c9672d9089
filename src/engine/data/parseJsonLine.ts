// JSON.parse for one line, turning V8's error message into a short reason and a 1-based column.

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
  if (at) return { reason: at[1], column: Number(at[2]) + 1 };
  if (/Unexpected end of JSON input/.test(message)) return { reason: 'Unexpected end of line (the JSON is cut off)', column: text.length + 1 };
  const token = /^(Unexpected token '.*?'),/.exec(message);
  if (token) return { reason: token[1] };
  return { reason: message.length > 200 ? `${message.slice(0, 200)}…` : message };
}
