// Picks the record reader of a dataset file by its extension; anything that is not CSV, TSV or Parquet is read
// as JSON Lines (the format every other path has always been read as).
import { cellDelimiter, datasetFormatOf, isDelimitedText } from '../../common/datasetFormat';
import { readJsonlRecords } from './readJsonlRecords';
import { readDelimitedRecords } from './readDelimitedRecords';
import { readParquetRecords } from './readParquetRecords';
import type { RecordReader } from './recordSource';

/**
 * The reader for `file`: by extension (`datasetFormatOf`), JSON Lines for any other name. A .csv file's delimiter
 * is guessed from its first records (`,`, `;`, tab or `|`, as spreadsheets in many locales write `;`); a .tsv is
 * tab-separated.
 */
export function readerFor(file: string): RecordReader {
  const format = datasetFormatOf(file);
  if (format === 'parquet') return readParquetRecords;
  if (format !== undefined && isDelimitedText(format)) return readDelimitedRecords(cellDelimiter(format), format === 'csv');
  return readJsonlRecords;
}
