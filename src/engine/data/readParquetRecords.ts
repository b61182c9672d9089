// Parquet as records, one row group at a time (hyparquet, pure JavaScript; hyparquet-compressors adds the
// codecs beyond snappy). Only the columns the scan needs are decoded. A record's "line" is its 1-based row.
import { stat } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import type { RecordReader } from './recordSource';

/**
 * Reads a Parquet file row group by row group, so memory is bounded by the largest row group's columns that are
 * read, not by the file. INT64 values (Hugging Face ClassLabel ids are int64) come back as numbers; a list
 * column holds label lists. A file that is not Parquet, or a row group that cannot be decoded, is reported as
 * a problem (`malformedRecord`, at row 1 or at the group's first row) and the rest is still read.
 */
export const readParquetRecords: RecordReader = async (file, sink, options) => {
  let bytes: number;
  try {
    bytes = (await stat(file)).size;
  } catch (err) {
    throw new EngineError(EngineErrorCodes.invalidDataset, `Cannot open the dataset: ${(err as Error).message}`, { file });
  }
  const buffer = await asyncBufferFromFile(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    sink.problem('malformedRecord', 1, `Not a readable Parquet file: ${(err as Error).message}.`);
    return { lines: 0, bytes, firstLineStart: '' };
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const rows = Number(metadata.num_rows);
  const wanted = sink.columns(names, rows);
  const columns = wanted ? names.filter((n) => wanted.includes(n)) : names;
  const bytesPerRow = rows > 0 ? bytes / rows : 0;
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Reading the dataset was cancelled.', { file });
    const rowEnd = rowStart + Number(group.num_rows);
    const first = rowStart;
    try {
      await parquetRead({
        file: buffer, metadata, columns, rowStart, rowEnd, rowFormat: 'object', compressors,
        onComplete: (objects) => {
          for (let i = 0; i < objects.length; i++) sink.record(plainValues(objects[i]!), first + i + 1, bytesPerRow);
          // Let the group's rows go before the next group is decoded.
          objects.length = 0;
        },
      });
    } catch (err) {
      if (err instanceof EngineError) throw err;
      sink.problem('malformedRecord', first + 1, `Rows ${first + 1}–${rowEnd} (one row group) cannot be decoded: ${(err as Error).message}.`);
    }
    rowStart = rowEnd;
  }
  return { lines: rows, bytes, firstLineStart: '' };
};

/** The row with bigint values (INT64) as numbers, also inside lists, so labels read as they do from JSONL (in place). */
function plainValues(row: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(row)) {
    const value = row[key];
    if (typeof value === 'bigint' || Array.isArray(value)) row[key] = plain(value);
  }
  return row;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
