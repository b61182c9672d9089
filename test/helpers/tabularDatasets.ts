// Writes a JSONL dataset's records as CSV, TSV or Parquet, so tests can check that every format reads the same.
// CSV/TSV cells are written by csv-stringify (lists as JSON text, integers as digits); Parquet by hyparquet-writer
// (strings as STRING, integers as INT64 as Hugging Face writes ClassLabel ids, lists as LIST columns).
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';

export type Row = Record<string, unknown>;

/** The objects of a JSONL file (every line must be one). */
export function readJsonlRows(file: string): Row[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Row);
}

function cell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Rows as delimited text with a header of `columns` (default: the first row's keys); `eol` "\n" or "\r\n". */
export function toDelimited(rows: readonly Row[], options: { delimiter?: string; eol?: string; columns?: string[] } = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  return stringify([columns, ...rows.map((r) => columns.map((c) => cell(r[c])))], { delimiter: options.delimiter ?? ',', record_delimiter: options.eol === '\r\n' ? 'windows' : 'unix' });
}

/**
 * Rows as a Parquet file; `rowGroupSize` rows per row group (small values exercise group boundaries), data pages of
 * about `pageSize` bytes (hyparquet-writer's default 1 MiB), with an offset index for columns of several pages unless
 * `offsetIndex` is false.
 */
export function writeParquet(file: string, rows: readonly Row[], options: { rowGroupSize?: number; columns?: string[]; pageSize?: number; offsetIndex?: boolean } = {}): void {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const columnData = columns.map((name) => {
    const values = rows.map((r) => r[name]);
    const integers = values.every((v) => typeof v === 'number' && Number.isInteger(v));
    const lists = values.every((v) => Array.isArray(v));
    const offsetIndex = options.offsetIndex ?? true;
    if (integers) return { name, data: values.map((v) => BigInt(v as number)), type: 'INT64' as const, offsetIndex };
    if (lists) return { name, data: values.map((v) => (v as unknown[]).map((x) => (typeof x === 'number' ? BigInt(x) : x))), offsetIndex };
    return { name, data: values.map((v) => (v === undefined ? null : v)), type: 'STRING' as const, offsetIndex };
  });
  writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: options.rowGroupSize ?? 100_000, pageSize: options.pageSize })));
}
