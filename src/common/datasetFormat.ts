// Which dataset formats exist and how a path says which one it is: the engine picks its reader by it, the
// extension its file globs, menus and editing rules.
import { sniffDelimiter } from './sniffDelimiter';

/** The dataset file formats the engine reads. */
export const datasetFormats = ['jsonl', 'csv', 'tsv', 'parquet'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

/** File extensions (without the dot, lower case) of dataset files, in `datasetFormats` order. */
export const datasetExtensions: readonly string[] = datasetFormats;

/** The glob of dataset files, for `findFiles` and file watchers: `**\/*.{jsonl,csv,tsv,parquet}`. */
export const datasetGlob = `**/*.{${datasetExtensions.join(',')}}`;

/** The format named by the file's extension (case-insensitive), or undefined for any other file. */
export function datasetFormatOf(path: string): DatasetFormat | undefined {
  const m = /\.([a-z]+)$/i.exec(path);
  const ext = m?.[1]!.toLowerCase();
  return datasetFormats.find((f) => f === ext);
}

/** True for delimited text formats, whose cells are strings (a label cell "3" is the integer label 3). */
export function isDelimitedText(format: DatasetFormat): format is 'csv' | 'tsv' {
  return format === 'csv' || format === 'tsv';
}

/** Lines of a file's start given to `sniffDelimiter` (its 20 records, with room for line breaks inside cells). */
export const delimiterSampleLines = 40;

/**
 * The cell delimiter of a delimited text format: a tab for TSV; for CSV the one `sniffDelimiter` finds in
 * `sample` (the file's start), as the engine's reader does, and `,` without a sample.
 * @param complete the sample is the whole file, so its last record is whole too (`sniffDelimiter`'s `complete`)
 */
export function cellDelimiter(format: 'csv' | 'tsv', sample?: string, complete = false): string {
  if (format === 'tsv') return '\t';
  return sample === undefined ? ',' : sniffDelimiter(sample, ',', complete);
}

/**
 * `cellDelimiter` over the first `delimiterSampleLines` of `lines`.
 * @param whole `lines` are all of the file (not a prefix of it)
 */
export function delimiterOfLines(format: 'csv' | 'tsv', lines: readonly string[], whole: boolean): string {
  return cellDelimiter(format, lines.slice(0, delimiterSampleLines).join('\n'), whole && lines.length <= delimiterSampleLines);
}
