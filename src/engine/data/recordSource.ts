// The seam between a file format and the dataset scan: a reader streams a file's records (objects keyed by
// field or column name) with the 1-based line (JSONL, CSV, TSV) or row (Parquet) each starts at, and reports what
// it cannot read as problems. `scanDatasetFile` validates, counts and deduplicates what comes out, whatever the format.
import type { DatasetProblemKind } from '../../protocol/dataset';

export interface RecordSink {
  /**
   * Column names, when the format knows them before any record (a CSV header, a Parquet schema). Returns the
   * columns the scan needs (readers may skip the others), or undefined for all of them.
   */
  columns(names: readonly string[], rows?: number): readonly string[] | undefined;
  /**
   * One record. `raw` is the line's JSON text (JSONL only: problems point a column at a field in it); `bytes` is
   * the record's size in the file (an estimate for Parquet), used to size the duplicate table.
   */
  record(record: Record<string, unknown>, line: number, bytes: number, raw?: string): void;
  problem(kind: DatasetProblemKind, line: number, message: string, extra?: { column?: number }): void;
}

export interface RecordReadOptions {
  /** A line (JSONL) or record (CSV, TSV) longer than this is reported and not held in memory. */
  maxLineBytes?: number;
  /** Read-buffer size (Parquet: uncompressed bytes of a column decoded per slice); small values exercise chunk boundaries in tests. */
  chunkBytes?: number;
  signal?: AbortSignal;
}

export interface RecordReadSummary {
  /** Lines read (JSONL, CSV, TSV: physical lines, the trailing newline starting none) or rows (Parquet). */
  lines: number;
  bytes: number;
  /** The first 200 characters of line 1 (a JSONL file that is really something else is recognised by it). */
  firstLineStart: string;
}

/** Reads one file's records into `sink`. Throws EngineError only when the file cannot be opened or read at all. */
export type RecordReader = (file: string, sink: RecordSink, options: RecordReadOptions) => Promise<RecordReadSummary>;
