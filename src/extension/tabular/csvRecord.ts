// One CSV/TSV record in an editor's text: its cells, where each cell sits, and the edit that replaces exactly one
// cell. Quoting is csv-parse's and csv-stringify's: cell boundaries are the delimiters at which the library
// itself ends a cell (a prefix of the record that parses to whole cells), never a hand-written quoting rule.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Lines a record may span when the editor reads one from its first line (a longer one is not offered for edits). */
export const maxRecordLines = 2000;

const parseOptions = { bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false } as const;

export interface CsvRecord {
  cells: string[];
  /** The record's text without its final line break. */
  raw: string;
  /** `[start, end)` of each cell in `raw` (a quoted cell's span includes its quotes). */
  spans: { start: number; end: number }[];
}

/**
 * The first record of `text` (which starts where the record starts), or undefined when it does not parse: a quote
 * never closed within `text`.
 */
export function readCsvRecord(text: string, delimiter: string): CsvRecord | undefined {
  let rows: { record: string[]; raw: string }[];
  try {
    rows = parse(text, { ...parseOptions, delimiter, raw: true, to: 1 }) as unknown as { record: string[]; raw: string }[];
  } catch {
    return undefined;
  }
  const first = rows[0];
  if (!first) return undefined;
  const raw = first.raw.replace(/(\r\n|\n|\r)$/, '');
  return { cells: first.record, raw, spans: cellSpans(raw, delimiter, first.record.length) };
}

/**
 * Where each of `count` cells of one record `raw` starts and ends. A delimiter ends a cell exactly when the text
 * before it parses, as a record of its own, into whole cells (a delimiter inside quotes leaves a quote open there).
 */
function cellSpans(raw: string, delimiter: string, count: number): { start: number; end: number }[] {
  const ends: number[] = [];
  for (let at = raw.indexOf(delimiter); at !== -1 && ends.length < count - 1; at = raw.indexOf(delimiter, at + delimiter.length)) {
    try {
      const rows = parse(raw.slice(0, at), { ...parseOptions, delimiter }) as string[][];
      if (rows.length === 1 && rows[0]!.length === ends.length + 1) ends.push(at);
    } catch {
      // Inside a quoted cell: not a boundary.
    }
  }
  const spans: { start: number; end: number }[] = [];
  let start = 0;
  for (const end of [...ends, raw.length]) {
    spans.push({ start, end });
    start = end + delimiter.length;
  }
  return spans;
}

/** `value` as one cell, quoted by csv-stringify exactly when it must be (delimiter, quote, line break, edge spaces). */
export function csvCellText(value: string, delimiter: string): string {
  return stringify([[value]], { delimiter, record_delimiter: '\n', quoted_match: /^\s|\s$/ }).replace(/\n$/, '');
}

/**
 * The edit that sets cell `index` of the record at the start of `text` to `value`: `[start, end)` in `text` and the
 * replacement. Undefined when the record does not parse, has no such cell, or would not read back with exactly that
 * one cell changed (so an edit never lands on another cell).
 */
export function replaceCsvCell(text: string, delimiter: string, index: number, value: string): { start: number; end: number; text: string } | undefined {
  const record = readCsvRecord(text, delimiter);
  const span = record?.spans[index];
  if (!record || !span || record.spans.length !== record.cells.length) return undefined;
  const replacement = csvCellText(value, delimiter);
  const edited = readCsvRecord(record.raw.slice(0, span.start) + replacement + record.raw.slice(span.end), delimiter);
  const expected = record.cells.map((c, i) => (i === index ? value : c));
  if (!edited || edited.cells.length !== expected.length || edited.cells.some((c, i) => c !== expected[i])) return undefined;
  return { start: span.start, end: span.end, text: replacement };
}

/** The line (0-based, relative to the text's start) and character of `offset` in `text`, lines broken at CRLF, LF, CR. */
export function positionIn(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/**
 * The 1-based line each record of `text` starts on (the header's is 1), in order: a record's raw text holds its
 * own line breaks, quoted ones included, so counting them gives the next record's line.
 */
export function csvRecordStarts(text: string, delimiter: string): number[] {
  const starts: number[] = [];
  let line = 1;
  try {
    parse(text, {
      ...parseOptions, delimiter, raw: true,
      on_record: ({ raw }: { raw: string }) => {
        starts.push(line);
        line += (raw.match(/\r\n|\n|\r/g) ?? []).length;
        return null;
      },
    } as never);
  } catch {
    // A quote never closed: the records before it are known.
  }
  return starts;
}
