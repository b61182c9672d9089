// The Datasets tree's quick count for CSV, TSV and Parquet files: the header (or schema) names the text and label
// columns by the same candidate names as JSONL fields; rows with both count as examples. Parsing is csv-parse's and
// hyparquet's (the engine's readers use the same libraries); validation is still the engine's `dataset/inspect`.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { DatasetSummary } from './datasetSummary';

export interface ColumnChoice {
  text?: string;
  label?: string;
}

/** The first text and label candidates among `columns`, in detection order. */
export function chooseColumns(columns: readonly string[], textFields: readonly string[], labelFields: readonly string[]): ColumnChoice {
  const text = textFields.find((f) => columns.includes(f));
  const label = labelFields.find((f) => f !== text && columns.includes(f));
  return { ...(text ? { text } : {}), ...(label ? { label } : {}) };
}

/** Counts a delimited file's rows with a non-empty text and label cell; other rows are unreadable. */
export async function summarizeDelimited(path: string, bytes: number, delimiter: string, textFields: readonly string[], labelFields: readonly string[]): Promise<DatasetSummary> {
  const counts = new Map<string, number>();
  let examples = 0;
  let unreadableLines = 0;
  let columns: ColumnChoice | undefined;
  let textAt = -1;
  let labelAt = -1;
  const parser = createReadStream(path).pipe(parse({ delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }));
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (!columns) {
        const header = row.map((c) => c.trim());
        columns = chooseColumns(header, textFields, labelFields);
        textAt = columns.text ? header.indexOf(columns.text) : -1;
        labelAt = columns.label ? header.indexOf(columns.label) : -1;
        continue;
      }
      const text = row[textAt];
      const label = row[labelAt]?.trim();
      if (!text?.trim() || !label) {
        unreadableLines++;
        continue;
      }
      examples++;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  } catch {
    // A malformed record (a quote never closed): count what came before it; Inspect dataset says where.
    unreadableLines++;
  }
  return { bytes, examples, labels: sortCounts(counts), unreadableLines };
}

/** Counts a Parquet file's rows by its label column (only that column is decoded). */
export async function summarizeParquet(path: string, bytes: number, textFields: readonly string[], labelFields: readonly string[]): Promise<DatasetSummary> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const columns = chooseColumns(parquetSchema(metadata).children.map((c) => c.element.name), textFields, labelFields);
  const rows = Number(metadata.num_rows);
  if (!columns.text || !columns.label) return { bytes, examples: 0, labels: [], unreadableLines: rows };
  const counts = new Map<string, number>();
  let examples = 0;
  await parquetRead({
    file, metadata, columns: [columns.label], compressors,
    onComplete: (data: unknown[][]) => {
      for (const [value] of data) {
        const labels = Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value];
        if (labels.length === 0 && !Array.isArray(value)) continue;
        examples++;
        for (const l of labels) counts.set(String(l), (counts.get(String(l)) ?? 0) + 1);
      }
    },
  });
  return { bytes, examples, labels: sortCounts(counts), unreadableLines: rows - examples };
}

function sortCounts(counts: Map<string, number>): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
