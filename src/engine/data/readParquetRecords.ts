// Parquet as records, about a megabyte of rows at a time (hyparquet, pure JavaScript; hyparquet-compressors adds the
// codecs beyond snappy). Only the columns the scan needs are decoded. A record's "line" is its 1-based row.
import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetRead, parquetSchema, readOffsetIndex, type AsyncBuffer, type ColumnChunk, type FileMetaData, type RowGroup } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import type { RecordReader } from './recordSource';
import { datasetOpenError } from './datasetOpenError';

/**
 * Uncompressed bytes of a column decoded per step. Decoding a whole row group at once (100 000 rows is common,
 * pyarrow's default is a million) kept a group's texts alive across garbage collections, which then promoted them
 * to the old generation: bench:data's 1 GB Parquet file peaked ~100 MB over the JSONL reader. Slices of about one
 * data page die young, as JSONL lines do.
 */
const sliceBytes = 1024 * 1024;

/**
 * Reads a Parquet file row group by row group. In each group, a column whose chunk is small (a label column) is
 * decoded whole, once; a larger one (the text) in slices of about `sliceBytes` (`options.chunkBytes` when given), cut at its data pages when the file
 * has an offset index (hyparquet-writer writes one; pyarrow with `write_page_index`), so only the pages of a slice
 * are read; without one, its column chunk is read once and its slices decoded from it. INT64 values (Hugging Face
 * ClassLabel ids are int64) come back as numbers; a list column holds label lists. A file that is not Parquet, or
 * rows that cannot be decoded, are reported as a problem (`malformedRecord`, at row 1, or at the first row not
 * read with the rest of its row group skipped) and the other groups are still read.
 */
export const readParquetRecords: RecordReader = async (file, sink, options) => {
  let handle: FileHandle;
  let bytes: number;
  try {
    handle = await open(file, 'r');
    bytes = (await handle.stat()).size;
  } catch (err) {
    throw datasetOpenError(file, err);
  }
  try {
    const buffer = new ChunkCachingFile(handle, bytes);
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
    const target = options.chunkBytes ?? sliceBytes;
    const read = (cols: readonly string[], rowStart: number, rowEnd: number): Promise<unknown[][]> => readColumns(buffer, metadata, cols, rowStart, rowEnd);
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const groupEnd = groupStart + Number(group.num_rows);
      buffer.holdChunksOf(group, columns);
      const chunks = group.columns.filter((c) => c.meta_data && columns.includes(c.meta_data.path_in_schema[0]!));
      const sliced = chunks.filter((c) => Number(c.meta_data!.total_uncompressed_size) > target);
      const whole = columns.filter((n) => !sliced.some((c) => c.meta_data!.path_in_schema[0] === n));
      const slicedNames = columns.filter((n) => !whole.includes(n));
      let rowStart = groupStart;
      try {
        if (options.signal?.aborted) throw cancelled(file);
        const wholeValues = await read(whole, groupStart, groupEnd);
        for (const sliceEnd of await sliceEnds(buffer, sliced, groupStart, groupEnd, target)) {
          if (options.signal?.aborted) throw cancelled(file);
          const slicedValues = await read(slicedNames, rowStart, sliceEnd);
          for (let row = rowStart; row < sliceEnd; row++) {
            const record: Record<string, unknown> = {};
            for (const name of columns) {
              const at = whole.indexOf(name);
              record[name] = plain(at >= 0 ? wholeValues[at]![row - groupStart] : slicedValues[slicedNames.indexOf(name)]![row - rowStart]);
            }
            sink.record(record, row + 1, bytesPerRow);
          }
          rowStart = sliceEnd;
        }
      } catch (err) {
        if (err instanceof EngineError) throw err;
        // Rows that cannot be decoded mean a damaged column chunk: the rest of its row group is skipped, reported once.
        sink.problem('malformedRecord', rowStart + 1, `Rows ${rowStart + 1}–${groupEnd} (of one row group) cannot be decoded: ${(err as Error).message}.`);
      }
      groupStart = groupEnd;
    }
    return { lines: rows, bytes, firstLineStart: '' };
  } finally {
    await handle.close();
  }
};

function cancelled(file: string): EngineError {
  return new EngineError(EngineErrorCodes.cancelled, 'Reading the dataset was cancelled.', { file });
}

/**
 * Values of `columns` for rows [rowStart, rowEnd) of the file: one array per column, index 0 being `rowStart`.
 * hyparquet hands over whole decoded pages (which may start before `rowStart` or run past `rowEnd`); only the rows
 * asked for are kept.
 */
async function readColumns(file: AsyncBuffer, metadata: FileMetaData, columns: readonly string[], rowStart: number, rowEnd: number): Promise<unknown[][]> {
  const values = columns.map(() => new Array<unknown>(rowEnd - rowStart));
  if (columns.length === 0 || rowEnd <= rowStart) return values;
  await parquetRead({
    file, metadata, columns: [...columns], rowStart, rowEnd, compressors, useOffsetIndex: true,
    onChunk: ({ columnName, columnData, rowStart: at }) => {
      const out = values[columns.indexOf(columnName)]!;
      const from = Math.max(at, rowStart);
      const to = Math.min(at + columnData.length, rowEnd);
      for (let row = from; row < to; row++) out[row - rowStart] = columnData[row - at];
    },
  });
  return values;
}

/**
 * Where the slices of a row group end (absolute rows, the last being `groupEnd`): at the data pages of the largest
 * sliced column when it has an offset index, grouped to about `sliceBytes` uncompressed; otherwise every so many rows, from the
 * sliced columns' average uncompressed size per row. One slice for the whole group when no column is sliced.
 */
async function sliceEnds(file: AsyncBuffer, sliced: readonly ColumnChunk[], groupStart: number, groupEnd: number, sliceBytes: number): Promise<number[]> {
  const rows = groupEnd - groupStart;
  if (sliced.length === 0 || rows === 0) return [groupEnd];
  const largest = sliced.reduce((a, b) => (Number(b.meta_data!.total_uncompressed_size) > Number(a.meta_data!.total_uncompressed_size) ? b : a));
  const uncompressed = sliced.reduce((n, c) => n + Number(c.meta_data!.total_uncompressed_size), 0);
  const ends: number[] = [];
  if (largest.offset_index_offset !== undefined && largest.offset_index_length) {
    const start = Number(largest.offset_index_offset);
    const index = readOffsetIndex({ view: new DataView(await file.slice(start, start + largest.offset_index_length)), offset: 0 });
    const meta = largest.meta_data!;
    const ratio = Number(meta.total_uncompressed_size) / Math.max(1, Number(meta.total_compressed_size));
    let bytesInSlice = 0;
    for (let i = 0; i < index.page_locations.length; i++) {
      bytesInSlice += index.page_locations[i]!.compressed_page_size * ratio;
      const next = index.page_locations[i + 1];
      if (next !== undefined && bytesInSlice >= sliceBytes) {
        ends.push(groupStart + Number(next.first_row_index));
        bytesInSlice = 0;
      }
    }
  } else {
    const step = Math.max(1, Math.floor(sliceBytes / Math.max(1, uncompressed / rows)));
    for (let end = groupStart + step; end < groupEnd; end += step) ends.push(end);
  }
  ends.push(groupEnd);
  return ends;
}

/**
 * The file as hyparquet's `AsyncBuffer`: each `slice` is one positioned read into a buffer of its own size (hyparquet's
 * `asyncBufferFromFile` streams and concatenates, doubling the bytes in flight). Whole column chunks of the row group
 * being read are kept, so that when the file has no offset index, slicing a row group reads each chunk once, not once
 * per slice; pages read through an offset index are not kept.
 */
class ChunkCachingFile implements AsyncBuffer {
  private held = new Map<string, Promise<ArrayBuffer>>();
  private chunkRanges = new Set<string>();

  constructor(private readonly handle: FileHandle, readonly byteLength: number) {}

  /** Keeps the chunks of `columns` in `group` once read, and lets those of the previous group go. */
  holdChunksOf(group: RowGroup, columns: readonly string[]): void {
    this.held.clear();
    this.chunkRanges.clear();
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta || !columns.includes(meta.path_in_schema[0]!)) continue;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      this.chunkRanges.add(`${start}:${start + Number(meta.total_compressed_size)}`);
    }
  }

  slice(start: number, end = this.byteLength): Promise<ArrayBuffer> {
    const key = `${start}:${end}`;
    const held = this.held.get(key);
    if (held) return held;
    const read = this.read(start, end);
    if (this.chunkRanges.has(key)) this.held.set(key, read);
    return read;
  }

  private async read(start: number, end: number): Promise<ArrayBuffer> {
    const length = Math.max(0, Math.min(end, this.byteLength) - start);
    const bytes = new Uint8Array(length);
    let at = 0;
    while (at < length) {
      const { bytesRead } = await this.handle.read(bytes, at, length - at, start + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    // A file shorter than its metadata says: hand back what is there, and hyparquet reports what it lacks.
    return at === length ? bytes.buffer : bytes.buffer.slice(0, at);
  }
}

/** A value with bigint values (INT64) as numbers, also inside lists, so labels read as they do from JSONL. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
