// CSV and TSV as records: the first row names the columns, every later row is one record. Parsing (quotes,
// doubled quotes, delimiters and line breaks inside quoted cells, a BOM) is csv-parse's; this file only counts
// lines (`LineBreakCounter`, from where csv-parse says each record ends) and turns rows into records and problems.
import { open, type FileHandle } from 'node:fs/promises';
import { parse, type CsvError, type Options } from 'csv-parse';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { defaultMaxLineBytes } from './jsonlLineReader';
import { isBlank } from './isBlank';
import { formatBytes } from './formatBytes';
import type { RecordReader } from './recordSource';
import { refuseCompressedDataset } from './compressedFile';
import { LineBreakCounter } from './lineBreakCounter';
import { sniffDelimiter } from '../../common/sniffDelimiter';
import { delimiterSampleBytes } from '../../common/fileHead';
import { datasetOpenError } from './datasetOpenError';

/**
 * Bytes handed to csv-parse per write. Smaller writes than JSONL's 1 MiB reads: csv-parse copies its unparsed tail
 * and each new chunk into one buffer per write, and on a loaded 2-core machine inspect of a 200 MB CSV took 37–43 s
 * with 1 MiB writes against 18–27 s with 16–64 KiB ones (same process layout, alternated runs).
 */
const defaultChunkBytes = 64 * 1024;


/**
 * A reader for delimited text with `delimiter` (`,` CSV, `\t` TSV); with `detect`, the delimiter is guessed from
 * the file's first records (`sniffDelimiter`: `,`, `;`, tab or `|`) and `delimiter` is used only when none fits.
 * Memory is bounded by the read buffer plus one record: a record over `maxLineBytes` (most often a quote that is never closed) is reported and ends the
 * read, as does any other malformed record, since where the next record starts cannot be known after it. Quotes
 * inside an unquoted cell are kept as text (`relax_quotes`), as spreadsheets write them. Each record's line is
 * the line it starts on: the line breaks up to the byte where csv-parse says the record ends are counted in the
 * bytes read, so quoted line breaks count (`\r\n`, `\n`, a lone `\r` one each, as editors count). The lines
 * summed up are the file's physical lines, also when a malformed record ends the parse early.
 */
export function readDelimitedRecords(defaultDelimiter: string, detect = false): RecordReader {
  return async (file, sink, options) => {
    await refuseCompressedDataset(file);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      throw datasetOpenError(file, err);
    }
    const maxRecordBytes = options.maxLineBytes ?? defaultMaxLineBytes;
    const chunkBytes = options.chunkBytes ?? defaultChunkBytes;
    const delimiter = detect ? await detectDelimiter(handle, defaultDelimiter) : defaultDelimiter;
    const what = defaultDelimiter === '\t' ? 'TSV' : 'CSV';
    const breaks = new LineBreakCounter();
    let line = 1;
    let recordStart = 0;
    let header: string[] | undefined;
    let keep: { name: string; index: number }[] = [];
    let firstLineStart = '';
    let failure: CsvError | Error | undefined;

    // `end` is the byte offset just past the record and its line break (csv-parse's `info.bytes`).
    const onRow = (cells: string[], end: number): void => {
      const start = line;
      const bytes = end - recordStart;
      recordStart = end;
      if (header === undefined) {
        const hint = cells.length === 1 ? oneColumnHeaderHint(cells[0]!, delimiter, what) : '';
        if (hint !== '') sink.problem('rowShape', 1, hint);
        firstLineStart = breaks.textTo(end, 800).replace(/^\uFEFF/, '').slice(0, 200);
        line += breaks.countTo(end);
        header = cells.map((c) => c.trim());
        const wanted = sink.columns(header);
        keep = header.map((name, index) => ({ name, index })).filter((c) => c.name !== '' && (wanted === undefined || wanted.includes(c.name)));
        return;
      }
      line += breaks.countTo(end);
      if (cells.length === 1 && isBlank(cells[0]!)) {
        sink.problem('blankLine', start, 'Blank line.');
        return;
      }
      if (cells.length !== header.length) {
        sink.problem('rowShape', start, `This row has ${cells.length} cell${cells.length === 1 ? '' : 's'} but the header has ${header.length} column${header.length === 1 ? '' : 's'}.`);
        return;
      }
      const record: Record<string, unknown> = {};
      for (const c of keep) record[c.name] = cells[c.index];
      sink.record(record, start, bytes, undefined);
    };
    const csvOptions: Options = {
      delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false,
      max_record_size: maxRecordBytes,
      // Rows are handled as they are parsed and dropped (null): the stream never buffers records.
      on_record: (row: string[], context) => {
        onRow(row, context.bytes);
        return null;
      },
    };
    const parser = parse(csvOptions);
    parser.on('error', (err) => { failure ??= err; });
    parser.resume();
    const ended = new Promise<void>((resolve) => {
      parser.once('end', resolve);
      parser.once('error', () => resolve());
    });

    let bytes = 0;
    // Line breaks after the start of a record that could not be parsed: counted, not parsed, so that the summary's
    // line count is the file's whatever happens to the parse.
    let linesAfterFailure = 0;
    try {
      for (;;) {
        if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Reading the dataset was cancelled.', { file });
        // A fresh buffer each time: the parser and the line counter keep references to a partial record's bytes.
        const chunk = Buffer.allocUnsafe(chunkBytes);
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(chunk, 0, chunkBytes, null));
        } catch (err) {
          throw new EngineError(EngineErrorCodes.invalidDataset, `Cannot read the dataset: ${(err as Error).message}`, { file, line });
        }
        if (bytesRead === 0) break;
        bytes += bytesRead;
        const data = chunk.subarray(0, bytesRead);
        breaks.push(data);
        if (failure === undefined) parser.write(data);
        else if (isCsvError(failure)) linesAfterFailure += breaks.countTo(bytes);
        else break;
      }
      if (!failure) {
        parser.end();
        await ended;
      }
      if (failure && isCsvError(failure)) linesAfterFailure += breaks.countTo(bytes);
    } finally {
      await handle.close();
    }
    // An error thrown by the sink (the scan's own) passes through as it is.
    if (failure && !isCsvError(failure)) throw failure;
    if (failure) sink.problem('malformedRecord', line, describeCsvError(failure as CsvError, what, maxRecordBytes));
    // Like JSONL: a last line without a line break still counts, a final line break starts no new line.
    const lastEndedWithBreak = breaks.lastByte === 0x0a || breaks.lastByte === 0x0d || breaks.lastByte === -1;
    return { lines: line - 1 + linesAfterFailure + (lastEndedWithBreak ? 0 : 1), bytes, firstLineStart };
  };
}

/** True for csv-parse's own errors (an error thrown by the sink is the scan's and passes through). */
function isCsvError(err: Error): err is CsvError {
  return 'code' in err && typeof err.code === 'string' && err.code.startsWith('CSV_');
}

/** The first bytes of the file as text, to guess the delimiter from; `fallback` when the file cannot be read (the read loop reports that). */
async function detectDelimiter(handle: FileHandle, fallback: string): Promise<string> {
  const sample = Buffer.allocUnsafe(delimiterSampleBytes);
  let bytesRead: number;
  try {
    // A positional read: the streaming reads still start at byte 0.
    ({ bytesRead } = await handle.read(sample, 0, delimiterSampleBytes, 0));
  } catch {
    return fallback;
  }
  return sniffDelimiter(sample.subarray(0, bytesRead).toString('utf8'), fallback, bytesRead < delimiterSampleBytes);
}

/**
 * The problem to report when the header is one cell that holds another delimiter (a `;`-separated file named .tsv,
 * a `;` header over rows that did not let the delimiter be guessed): what the delimiter seems to be and how to make
 * the file readable. Empty when the header holds none (a real one-column file).
 */
function oneColumnHeaderHint(header: string, delimiter: string, what: string): string {
  const other = [',', ';', '\t', '|'].find((c) => c !== delimiter && header.includes(c));
  if (other === undefined) return '';
  const name = other === '\t' ? 'tabs' : `"${other}"`;
  const fix = what === 'TSV'
    ? 'rename it to .csv (a .csv file\'s delimiter, ",", ";", tab or "|", is detected from its first lines)'
    : 'make every line have the same number of delimiters as the header, or save the file with comma-separated cells';
  const expected = delimiter === '\t' ? 'tabs' : `"${delimiter}"`;
  return `The header is one column that holds ${name}: the cells seem to be separated by ${name}, not by ${expected} as this ${what} file is read; ${fix}.`;
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
