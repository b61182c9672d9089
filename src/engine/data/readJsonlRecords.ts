// JSON Lines as records: one object per line. Lines that are not UTF-8, not JSON or not an object are
// reported with line and column; the objects go to the scan.
import { readJsonlLines, defaultMaxLineBytes } from './jsonlLineReader';
import { parseJsonLine } from './parseJsonLine';
import { describeValue } from './extractExample';
import { isBlank } from './isBlank';
import { formatBytes } from './formatBytes';
import type { RecordReader } from './recordSource';
import { refuseCompressedDataset } from './compressedFile';

/** Reads a JSONL file line by line (bounded memory: `readJsonlLines`); a compressed file is refused (`refuseCompressedDataset`). See `RecordReader`. */
export const readJsonlRecords: RecordReader = async (file, sink, options) => {
  await refuseCompressedDataset(file);
  let utf16 = false;
  let firstLineStart = '';
  const summary = await readJsonlLines(file, (event) => {
    const { line } = event;
    if (event.kind === 'utf16') {
      utf16 = true;
      sink.problem('invalidUtf8', 1, `The file is UTF-16 (${event.byteOrder}) encoded, not UTF-8: it was not read further.`, { column: 1 });
      return;
    }
    // Every byte of a UTF-16 file would be reported again line by line; one problem says it all.
    if (utf16) return;
    if (event.kind === 'invalidUtf8') {
      sink.problem('invalidUtf8', line, `Invalid UTF-8 at byte ${event.byteOffset + 1} of the line.`, { column: event.byteOffset + 1 });
      return;
    }
    if (event.kind === 'oversized') {
      sink.problem('oversizedLine', line, `The line is ${formatBytes(event.bytes)}, over the ${formatBytes(options.maxLineBytes ?? defaultMaxLineBytes)} limit.`);
      return;
    }
    let raw = event.text;
    // Files joined with `cat` carry each one's byte-order mark into the middle (line 1's is removed by the reader).
    if (raw.charCodeAt(0) === 0xfeff) {
      sink.problem('byteOrderMark', line, 'This line starts with an invisible U+FEFF byte-order mark, as when files are joined with cat; it was ignored.', { column: 1 });
      raw = raw.slice(1);
    }
    if (line === 1) firstLineStart = raw.slice(0, 200);
    if (isBlank(raw)) {
      sink.problem('blankLine', line, 'Blank line.');
      return;
    }
    const parsed = parseJsonLine(raw);
    if (!parsed.ok) {
      sink.problem('invalidJson', line, `Invalid JSON: ${parsed.reason}.`, parsed.column === undefined ? {} : { column: parsed.column });
      return;
    }
    const value = parsed.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      sink.problem('notAnObject', line, `The line is ${describeValue(value)}, not a JSON object.`, { column: firstNonSpace(raw) });
      return;
    }
    sink.record(value as Record<string, unknown>, line, raw.length + 1, raw);
  }, { maxLineBytes: options.maxLineBytes, chunkBytes: options.chunkBytes, signal: options.signal });
  return { lines: summary.lines, bytes: summary.bytes, firstLineStart };
};

function firstNonSpace(text: string): number {
  const i = text.search(/\S/);
  return i < 0 ? 1 : i + 1;
}
