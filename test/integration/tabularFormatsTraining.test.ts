// The same dataset as JSONL, CSV and Parquet trains to the same result with the same seed: the same dataset
// fingerprint in run.json, the same metrics and the same prediction probabilities, for a single-label run with
// sibling split files and a multi-label run (label lists as JSON cells and a Parquet LIST column, and as a
// delimited string read with labelDelimiter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun, type RunMetricsFile } from '../../src/engine/train/runTraining';
import { readRun } from '../../src/engine/runs/runStore';
import type { PredictionLine } from '../../src/engine/runs/writePredictions';
import type { TrainConfig } from '../../src/protocol/train';
import { readJsonlRows, toDelimited, writeParquet, type Row } from '../helpers/tabularDatasets';
import { writeTinyDataset } from './trainFixture';
import { writeMultiLabelDataset } from './multiLabelFixture';

interface Outcome {
  fingerprint: string;
  labels: string[];
  metrics: Omit<RunMetricsFile, 'elapsedMs'>;
  probabilities: number[][];
}

async function train(dataset: string, config: Partial<TrainConfig>): Promise<Outcome> {
  const result = await trainRun({ dataset, model: 'ngram', epochs: 3, learningRate: 0.5, seed: 7, ...config });
  assert.equal(result.state, 'completed', dataset);
  const record = await readRun(result.runDir);
  const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as RunMetricsFile & Record<string, unknown>;
  // Timings differ from run to run; everything else must not.
  for (const key of Object.keys(metrics)) if (/ms$|seconds|elapsed|time/i.test(key)) delete metrics[key];
  const predictions = (await readFile(join(result.runDir, 'predictions', 'test.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as PredictionLine);
  return { fingerprint: record.dataset!.fingerprint, labels: record.labels, metrics, probabilities: predictions.map((p) => p.probabilities) };
}

/** Copies the JSONL split files of `dir` into `dir/<folder>/` as CSV or Parquet (`transform` may rewrite rows). */
async function convert(dir: string, format: 'csv' | 'parquet', transform: (row: Row) => Row = (r) => r, folder: string = format): Promise<string> {
  const out = join(dir, folder);
  await mkdir(out);
  for (const split of ['train', 'validation', 'test']) {
    const rows = readJsonlRows(join(dir, `${split}.jsonl`)).map(transform);
    if (format === 'csv') await writeFile(join(out, `${split}.csv`), toDelimited(rows));
    else writeParquet(join(out, `${split}.parquet`), rows, { rowGroupSize: 16 });
  }
  return join(out, `train.${format}`);
}

test('single-label: JSONL, CSV and Parquet siblings train to identical metrics and probabilities (same seed)', async () => {
  const { dir, train: jsonl } = await writeTinyDataset();
  try {
    const reference = await train(jsonl, {});
    assert.ok(reference.metrics.test!.accuracy > 0.5, 'the run learned something, so equality is not trivial');
    for (const format of ['csv', 'parquet'] as const) {
      const outcome = await train(await convert(dir, format), {});
      assert.deepEqual(outcome, reference, format);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('multi-label: JSON list cells, a Parquet LIST column and a delimited string train like the JSONL lists', async () => {
  const { dir, train: jsonl } = await writeMultiLabelDataset();
  try {
    const reference = await train(jsonl, {});
    assert.ok(reference.labels.length === 3);
    assert.deepEqual(await train(await convert(dir, 'csv'), {}), reference, 'csv');
    assert.deepEqual(await train(await convert(dir, 'parquet'), {}), reference, 'parquet');
    const delimited = await convert(dir, 'csv', (r) => ({ ...r, labels: (r.labels as string[]).join('|') }), 'delimited');
    assert.deepEqual(await train(delimited, { labelDelimiter: '|' }), reference, 'delimited');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
