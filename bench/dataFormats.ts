// The CSV and Parquet half of `bench:data`: the generated JSONL rows written again as CSV (csv-stringify) and
// Parquet (hyparquet-writer, 100 000 rows a row group, snappy), so each format's reader is timed on the same
// examples. Lines that are not JSON objects (the planted broken lines) have no CSV/Parquet form and are left out.
import { appendFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import { readJsonlLines } from '../src/engine';

const rowsPerGroup = 100_000;

/** Writes `jsonl`'s object lines to `csv` and `parquet`; returns the number of rows written. */
export async function writeTabularCopies(jsonl: string, csv: string, parquet: string): Promise<number> {
  writeFileSync(csv, stringify([['text', 'label']]));
  let writer: ParquetWriter | undefined;
  let texts: string[] = [];
  let labels: string[] = [];
  let rows = 0;
  // Groups are written one after another (a promise chain): the reader keeps calling back while a group is written.
  let chain: Promise<void> = Promise.resolve();
  const flush = (): void => {
    if (texts.length === 0) return;
    const t = texts;
    const l = labels;
    texts = [];
    labels = [];
    appendFileSync(csv, stringify(t.map((text, i) => [text, l[i]!])));
    chain = chain.then(async () => {
      const columnData = [{ name: 'text', data: t, type: 'STRING' as const, nullable: false }, { name: 'label', data: l, type: 'STRING' as const, nullable: false }];
      writer ??= new ParquetWriter({ writer: fileWriter(parquet), schema: schemaFromColumnData({ columnData }) });
      await writer.write({ columnData, rowGroupSize: t.length });
    });
  };
  await readJsonlLines(jsonl, (event) => {
    if (event.kind !== 'text') return;
    let value: unknown;
    try {
      value = JSON.parse(event.text);
    } catch {
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const { text, label } = value as { text?: unknown; label?: unknown };
    texts.push(String(text));
    labels.push(String(label));
    rows++;
    if (texts.length >= rowsPerGroup) flush();
  });
  flush();
  await chain;
  await writer?.finish();
  return rows;
}
