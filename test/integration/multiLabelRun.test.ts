// A multi-label run end to end on the n-gram model: sigmoid outputs, thresholds tuned on validation and stored
// with the run, metrics that agree with the predictions file, predict/eval/export applying the same thresholds,
// and an export that loads back with the same per-label probabilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun, type RunMetricsFile } from '../../src/engine/train/runTraining';
import { readRun } from '../../src/engine/runs/runStore';
import { exportRun } from '../../src/engine/runs/exportRun';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { predictTexts, NONE } from '../../src/engine/predict/predictTexts';
import { evaluateFile } from '../../src/engine/predict/evaluateFile';
import { computeMultiLabelMetrics, multiHot } from '../../src/engine/metrics/multiLabelMetrics';
import type { PredictionLine } from '../../src/engine/runs/writePredictions';
import { writeMultiLabelDataset } from './multiLabelFixture';

const readJsonl = async <T>(path: string): Promise<T[]> => (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as T);

test('a multi-label n-gram run tunes thresholds on validation and every view applies them', async () => {
  const { dir, train, test: testFile } = await writeMultiLabelDataset();
  try {
    const result = await trainRun({ dataset: train, model: 'ngram', epochs: 6, learningRate: 0.5 });
    assert.equal(result.state, 'completed');
    const record = await readRun(result.runDir);
    assert.equal(record.problemType, 'multi_label_classification');
    assert.equal(record.classWeights, 'none');
    assert.deepEqual(record.labels, ['complaint', 'food', 'praise']);
    const thresholds = record.thresholds!;
    assert.equal(thresholds.length, 3);
    assert.ok(thresholds.every((t) => t > 0 && t < 1));

    // metrics.json's test metrics are those of the predictions file, recomputed with the run's thresholds.
    const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    assert.equal(metrics.multiLabel, true);
    assert.deepEqual(metrics.test!.multiLabel!.thresholds, thresholds);
    assert.deepEqual(metrics.best!.multiLabel!.thresholds, thresholds, 'the best epoch was scored with the thresholds the run kept');
    const preds = await readJsonl<PredictionLine>(join(result.runDir, 'predictions', 'test.jsonl'));
    assert.equal(preds.length, 40);
    const gold = multiHot(preds.map((p) => p.goldLabels!.map((l) => record.labels.indexOf(l))), 3);
    const recomputed = computeMultiLabelMetrics(gold, Float32Array.from(preds.flatMap((p) => p.probabilities)), thresholds, record.labels, 'test');
    assert.ok(Math.abs(recomputed.macroF1 - metrics.test!.macroF1) < 1e-4, `${recomputed.macroF1} vs ${metrics.test!.macroF1}`);
    assert.ok(metrics.test!.multiLabel!.microF1 > 0.8, `the words give the labels away: micro F1 ${metrics.test!.multiLabel!.microF1}`);
    for (const p of preds) {
      assert.deepEqual(p.predictedLabels, record.labels.filter((_, c) => p.probabilities[c]! >= thresholds[c]!));
      assert.deepEqual(p.missedLabels, p.goldLabels!.filter((l) => !p.predictedLabels!.includes(l)));
      assert.deepEqual(p.extraLabels, p.predictedLabels!.filter((l) => !p.goldLabels!.includes(l)));
    }
    const report = await readFile(join(result.runDir, 'report.md'), 'utf8');
    for (const heading of ['## Per label (test)', '## Most often missed and extra labels', '| subset acc. |', 'Class weights: none']) assert.ok(report.includes(heading), heading);
    assert.ok(!report.includes('## Confusion matrix'), 'no K×K matrix for a multi-label run');

    // predict and eval from the run folder use the run's thresholds.
    const predictor = await loadPredictor(result.runDir);
    assert.deepEqual(predictor.thresholds, thresholds);
    const [both, none] = await predictTexts(predictor, ['the great food was so', 'the movie was']);
    assert.deepEqual([...both!.labels!].sort(), ['food', 'praise']);
    assert.equal(both!.label, both!.labels!.join(', '));
    assert.ok(none!.labels!.length === 0 ? none!.label === NONE : none!.label === none!.labels!.join(', '));
    const evaluation = await evaluateFile(predictor, testFile);
    assert.ok(Math.abs(evaluation.metrics.macroF1 - metrics.test!.macroF1) < 1e-6);
    predictor.dispose();

    // The export keeps problem type and thresholds, and loads back with the same per-label probabilities.
    const exported = await exportRun(result.runDir, join(dir, 'exported'));
    const header = JSON.parse(await readFile(join(exported.outDir, 'ngram.json'), 'utf8')) as { problemType: string; thresholds: number[] };
    assert.equal(header.problemType, 'multi_label_classification');
    assert.deepEqual(header.thresholds, thresholds);
    const reloaded = await loadPredictor(exported.outDir);
    assert.deepEqual(reloaded.thresholds, thresholds);
    const texts = preds.slice(0, 10).map((p) => p.text);
    const fromRun = await (await loadPredictor(result.runDir)).predictProbs(texts);
    assert.deepEqual(Array.from(await reloaded.predictProbs(texts)), Array.from(fromRun));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('class weights: balanced multi-label training completes and says which weights it used', async () => {
  const { dir, train } = await writeMultiLabelDataset({ train: 90, validation: 30, test: 30 });
  try {
    const result = await trainRun({ dataset: train, model: 'ngram', epochs: 3, classWeights: 'balanced' });
    assert.equal(result.state, 'completed');
    const record = await readRun(result.runDir);
    assert.match(record.classWeights!, /^balanced: positive weight per label [\d.]+ "\w+" … [\d.]+ "\w+", negatives /);
    assert.ok(Number.isFinite(result.test!.loss), 'weighted training stays finite');
    const report = await readFile(join(result.runDir, 'report.md'), 'utf8');
    assert.ok(report.includes(`Class weights: ${record.classWeights}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
