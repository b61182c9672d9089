// CSV and TSV as records: the first row names the columns, every later row is one record. Parsing (quotes,
// doubled quotes, delimiters and line breaks inside quoted cells, a BOM) is csv-parse's; this file only counts
// lines and turns rows into records and problems.
import { open } from 'node:fs/promises';
import { parse, type CsvError, type Options } from 'csv-parse';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { defaultMaxLineBytes } from './jsonlLineReader';
import { isBlank } from './isBlank';
import { formatBytes } from './formatBytes';
import type { RecordReader } from './recordSource';

/**
 * Line breaks in `text`, counted as editors count them: `\r\n`, `\n` and a lone `\r` are one each. A record's
 * raw text ends with its own break, so the next record starts this many lines later.
 */
export function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/**
 * A reader for delimited text with `delimiter` (`,` CSV, `\t` TSV). Memory is bounded by the read buffer plus
 * one record: a record over `maxLineBytes` (most often a quote that is never closed) is reported and ends the
 * read, as does any other malformed record, since where the next record starts cannot be known after it. Quotes
 * inside an unquoted cell are kept as text (`relax_quotes`), as spreadsheets write them. Each record's line is
 * the line it starts on, counted from the raw text csv-parse hands back, so quoted line breaks count.
 */
export function readDelimitedRecords(delimiter: string): RecordReader {
  return async (file, sink, options) => {
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      throw new EngineError(EngineErrorCodes.invalidDataset, `Cannot open the dataset: ${(err as Error).message}`, { file });
    }
    const maxRecordBytes = options.maxLineBytes ?? defaultMaxLineBytes;
    const chunkBytes = options.chunkBytes ?? 1024 * 1024;
    const what = delimiter === '\t' ? 'TSV' : 'CSV';
    let line = 1;
    let header: string[] | undefined;
    let keep: { name: string; index: number }[] = [];
    let firstLineStart = '';
    let failure: CsvError | Error | undefined;
    let lastEndedWithBreak = true;

    const onRow = (cells: string[], raw: string): void => {
      const start = line;
      line += countLineBreaks(raw);
      lastEndedWithBreak = /[\r\n]$/.test(raw);
      if (header === undefined) {
        header = cells.map((c) => c.trim());
        firstLineStart = raw.slice(0, 200);
        const wanted = sink.columns(header);
        keep = header.map((name, index) => ({ name, index })).filter((c) => c.name !== '' && (wanted === undefined || wanted.includes(c.name)));
        return;
      }
      if (cells.length === 1 && isBlank(cells[0]!)) {
        sink.problem('blankLine', start, 'Blank line.');
        return;
      }
      if (cells.length !== header.length) {
        sink.problem('rowShape', start, `This row has ${cells.length} cell${cells.length === 1 ? '' : 's'} but the header has ${header.length} columns.`);
        return;
      }
      const record: Record<string, unknown> = {};
      for (const c of keep) record[c.name] = cells[c.index];
      sink.record(record, start, raw.length, undefined);
    };
    // With `raw`, csv-parse hands `on_record` the row and its raw text together (its typings miss that shape).
    const csvOptions: Options<string[], { record: string[]; raw: string }> = {
      delimiter, bom: true, raw: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false,
      max_record_size: maxRecordBytes,
      // Rows are handled as they are parsed and dropped (null): the stream never buffers records.
      on_record: (row) => {
        onRow(row.record, row.raw);
        return null;
      },
    };
    const parser = parse(csvOptions as unknown as Options);
    parser.on('error', (err) => { failure ??= err; });
    parser.resume();
    const ended = new Promise<void>((resolve) => {
      parser.once('end', resolve);
      parser.once('error', () => resolve());
    });

    let bytes = 0;
    try {
      while (!failure) {
        if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Reading the dataset was cancelled.', { file });
        // A fresh buffer each time: the parser may keep a reference to a partial record's bytes.
        const chunk = Buffer.allocUnsafe(chunkBytes);
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(chunk, 0, chunkBytes, null));
        } catch (err) {
          throw new EngineError(EngineErrorCodes.invalidDataset, `Cannot read the dataset: ${(err as Error).message}`, { file, line });
        }
        if (bytesRead === 0) break;
        bytes += bytesRead;
        parser.write(chunk.subarray(0, bytesRead));
      }
      parser.end();
      await ended;
    } finally {
      await handle.close();
    }
    // An error thrown by the sink (the scan's own) passes through as it is.
    if (failure && !('code' in failure && typeof failure.code === 'string' && failure.code.startsWith('CSV_'))) throw failure;
    if (failure) sink.problem('malformedRecord', line, describeCsvError(failure as CsvError, what, maxRecordBytes));
    // Like JSONL: a last line without a line break still counts, a final line break starts no new line.
    return { lines: line - 1 + (lastEndedWithBreak ? 0 : 1), bytes, firstLineStart };
  };
}

function describeCsvError(err: CsvError, what: string, maxRecordBytes: number): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `A quoted cell in the record that starts here is never closed: the file ends inside it, so this record was not read.`;
    case 'CSV_MAX_RECORD_SIZE':
      return `The record that starts here is over ${formatBytes(maxRecordBytes)} (most often a quote that is never closed): the ${what} was not read past this line.`;
    default:
      return `The ${what} is malformed in the record that starts here (${err.message}): the file was not read past this line.`;
  }
}
