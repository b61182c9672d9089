// Calibration must-show of issue 19: on emotion, an n-gram run and a bert-tiny-random run fit temperature
// scaling on validation, and the test ECE after scaling is no higher than before. The run keeps the scaling
// (run.json), metrics.json has ECE before/after and the diagrams, report.md says it, and predictions through
// loadPredictor are the scaled probabilities.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { exportRun } from '../../src/engine/runs/exportRun';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRun, type RunMetricsFile } from '../../src/engine/train/runTraining';
import { readRun, setUncertaintyThreshold } from '../../src/engine/runs/runStore';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { runAbstainThreshold } from '../../src/engine/predict/predictor';
import { predictTexts } from '../../src/engine/predict/predictTexts';
import { evaluateFile } from '../../src/engine/predict/evaluateFile';
import { applyTemperature, chooseClassThresholds, chooseThreshold } from '../../src/engine/metrics/calibration';
import { NgramModel } from '../../src/engine/models/ngram/ngramModel';
import { checkpointModelDir, runPaths } from '../../src/common/runFolder/runRecord';
import { shared, sharedPath, testsNeeding } from '../helpers/requirements';
import type { TrainConfigInput } from '../../src/protocol/runs';

const emotion = (split: string) => sharedPath('data', 'emotion', `${split}.jsonl`);
const test = testsNeeding(shared('data/emotion/train.jsonl'), shared('data/emotion/validation.jsonl'), shared('data/emotion/test.jsonl'), shared('models/bert-tiny-random'));

/** The first lines of emotion's three files, as siblings in a temp folder (so the official splits are used). */
async function emotionSubset(train: number, other: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-calibration-'));
  for (const [split, n] of [['train', train], ['validation', other], ['test', other]] as const) {
    const lines = (await readFile(emotion(split), 'utf8')).split('\n').filter((l) => l.trim()).slice(0, n);
    await writeFile(join(dir, `${split}.jsonl`), lines.join('\n') + '\n');
  }
  return join(dir, 'train.jsonl');
}

async function trainAndCheck(config: TrainConfigInput): Promise<{ runDir: string; metrics: RunMetricsFile }> {
  const result = await trainRun(config);
  assert.equal(result.state, 'completed');
  const metrics = JSON.parse(await readFile(runPaths(result.runDir).metrics, 'utf8')) as RunMetricsFile;
  const c = metrics.calibration!;
  assert.ok(c, 'metrics.json has the calibration');
  console.log(`${config.model}: T = ${c.scaling.temperature.toFixed(3)}, test ECE ${c.test!.eceBefore.toFixed(4)} → ${c.test!.eceAfter.toFixed(4)}, validation NLL ${c.scaling.nllBefore.toFixed(4)} → ${c.scaling.nllAfter.toFixed(4)}`);
  assert.ok(c.test!.eceAfter <= c.test!.eceBefore, `test ECE after (${c.test!.eceAfter}) > before (${c.test!.eceBefore})`);
  assert.ok(c.scaling.nllAfter <= c.scaling.nllBefore);
  // ECE before is the test metrics' ECE (the model's own probabilities).
  assert.ok(Math.abs(c.test!.eceBefore - metrics.test!.ece) < 1e-9);
  assert.equal(c.test!.binsAfter.reduce((n, b) => n + b.count, 0), metrics.test!.examples);
  assert.ok(c.coverage.length > 1);
  const record = await readRun(result.runDir);
  assert.deepEqual(record.calibration, c.scaling, 'run.json keeps the scaling');
  const report = await readFile(runPaths(result.runDir).report, 'utf8');
  assert.match(report, /## Calibration/);
  assert.match(report, new RegExp(`\\| test \\| ${metrics.test!.examples} \\| ${c.test!.eceBefore.toFixed(4)} \\| ${c.test!.eceAfter.toFixed(4)} \\|`));
  return { runDir: result.runDir, metrics };
}

/**
 * Selective prediction on a finished run: per-class abstain thresholds picked for "keep 90 % accuracy" from the
 * validation curves in metrics.json become the run's (run.json); predict and eval use them through loadPredictor.
 */
async function checkSelectivePrediction(runDir: string, metrics: RunMetricsFile, testFile: string): Promise<void> {
  const c = metrics.calibration!;
  const k = metrics.labels.length;
  assert.equal(c.coverageByClass?.length, k, 'metrics.json has a coverage curve per predicted class');
  const global = chooseThreshold(c.coverage, { targetAccuracy: 0.9 })!;
  const perClass = chooseClassThresholds(c.coverageByClass!, { targetAccuracy: 0.9 }, global.threshold)!;
  assert.ok(perClass.accuracy >= 0.9);
  await assert.rejects(setUncertaintyThreshold(runDir, global.threshold, undefined, perClass.thresholds.slice(1)), /one per label/);
  await setUncertaintyThreshold(runDir, global.threshold, { target: { targetAccuracy: 0.9 }, coverage: perClass.coverage, accuracy: perClass.accuracy }, perClass.thresholds);
  assert.deepEqual((await readRun(runDir)).uncertaintyThresholds, perClass.thresholds);
  const predictor = await loadPredictor(runDir);
  try {
    assert.deepEqual(predictor.uncertaintyThresholds, perClass.thresholds);
    assert.deepEqual(runAbstainThreshold(predictor), perClass.thresholds, 'per class wins over the single threshold');
    const texts = (await readFile(testFile, 'utf8')).split('\n').filter((l) => l.trim()).slice(0, 300).map((l) => (JSON.parse(l) as { text: string }).text);
    const predictions = await predictTexts(predictor, texts, { threshold: runAbstainThreshold(predictor) });
    const probs = await predictor.predictProbs(texts);
    predictions.forEach((p, i) => {
      const row = probs.subarray(i * k, (i + 1) * k);
      const top = row.indexOf(Math.max(...row));
      assert.equal(p.label, row[top]! < perClass.thresholds[top]! ? 'UNCERTAIN' : metrics.labels[top], `text ${i}: its predicted class's threshold decides`);
    });
    assert.ok(predictions.some((p) => p.label === 'UNCERTAIN') && predictions.some((p) => p.label !== 'UNCERTAIN'));
    // eval: the metrics count every line; `selective` says what the thresholds answer, and how well.
    const evaluation = await evaluateFile(predictor, testFile);
    const s = evaluation.selective!;
    assert.deepEqual(s.threshold, perClass.thresholds);
    assert.equal(s.coverage, s.answered / evaluation.metrics.examples);
    assert.ok(s.answered > 0 && s.answered < evaluation.metrics.examples);
    assert.ok(s.accuracy > evaluation.metrics.accuracy, `answered accuracy ${s.accuracy} above the overall ${evaluation.metrics.accuracy}`);
  } finally {
    predictor.dispose();
  }
  // A single threshold again drops the per-class ones.
  await setUncertaintyThreshold(runDir, global.threshold);
  assert.equal((await readRun(runDir)).uncertaintyThresholds, undefined);
}

/**
 * An exported model carries the run's temperature and abstain thresholds: loaded from the export folder alone
 * (as a user would after copying it), it gives the same calibrated probabilities and the same UNCERTAIN decisions.
 */
async function checkExportKeepsDecisions(runDir: string, metrics: RunMetricsFile, texts: string[]): Promise<void> {
  const c = metrics.calibration!;
  // A coverage target always has an answer, also for the random-weight model.
  const perClass = chooseClassThresholds(c.coverageByClass!, { targetCoverage: 0.5 }, 0.5)!.thresholds;
  await setUncertaintyThreshold(runDir, 0.5, undefined, perClass);
  const exported = await mkdtemp(join(tmpdir(), 'cw-export-decisions-'));
  try {
    await exportRun(runDir, join(exported, 'model'));
    const fromRun = await loadPredictor(runDir);
    const fromExport = await loadPredictor(join(exported, 'model'));
    const [a, b] = [await fromRun.predictProbs(texts), await fromExport.predictProbs(texts)];
    // 1e-4: a Hugging Face export is loaded as a folder (default backend and workers), the run's checkpoint with its own.
    assert.ok(a.every((v, i) => Math.abs(v - b[i]!) < 1e-4), 'the export predicts the run\'s calibrated probabilities');
    assert.equal(fromExport.calibration?.temperature, c.scaling.declined ? undefined : c.scaling.temperature);
    assert.equal(fromExport.uncertaintyThreshold, 0.5);
    assert.deepEqual(fromExport.uncertaintyThresholds, perClass);
    const labelsOf = async (p: typeof fromRun) => (await predictTexts(p, texts, { threshold: runAbstainThreshold(p) })).map((x) => x.label);
    assert.deepEqual(await labelsOf(fromExport), await labelsOf(fromRun), 'the same UNCERTAIN decisions');
    fromRun.dispose();
    fromExport.dispose();
  } finally {
    await rm(exported, { recursive: true, force: true });
  }
}

test('emotion, n-gram run: test ECE after temperature scaling ≤ before; predictions are scaled', async () => {
  const train = await emotionSubset(4000, 1000);
  try {
    const { runDir, metrics } = await trainAndCheck({ dataset: train, model: 'ngram', runsDir: join(train, '..', 'runs') });
    // loadPredictor applies the run's temperature to the checkpoint's own probabilities.
    const texts = ['i feel so happy today', 'i am furious about this'];
    const predictor = await loadPredictor(runDir);
    const raw = (await NgramModel.load(checkpointModelDir(join(runDir, 'checkpoints', 'best')))).predictProbs(texts);
    const expected = applyTemperature(raw, metrics.labels.length, metrics.calibration!.scaling.temperature);
    const got = await predictor.predictProbs(texts);
    assert.ok(got.every((v, i) => Math.abs(v - expected[i]) < 1e-6));
    assert.equal(predictor.calibration?.temperature, metrics.calibration!.scaling.temperature);
    predictor.dispose();
    await checkSelectivePrediction(runDir, metrics, emotion('test'));
    await checkExportKeepsDecisions(runDir, metrics, texts);
  } finally {
    await rm(join(train, '..'), { recursive: true, force: true });
  }
});

test('emotion, bert-tiny-random run: test ECE after temperature scaling ≤ before', async () => {
  const train = await emotionSubset(800, 300);
  try {
    const { runDir, metrics } = await trainAndCheck({
      dataset: train, model: sharedPath('models', 'bert-tiny-random'), epochs: 1, batchSize: 16, learningRate: 1e-3, maxLength: 32,
      patience: 0, workers: 1, backend: 'wasm', runsDir: join(train, '..', 'runs'),
    });
    // The Hugging Face export keeps the decisions in config.json and predicts as the run does.
    await checkExportKeepsDecisions(runDir, metrics, ['i feel so happy today', 'i am furious about this', 'i feel a bit lost']);
  } finally {
    await rm(join(train, '..'), { recursive: true, force: true });
  }
});

test('per-class temperatures are an option, and calibration none keeps the probabilities as they are', async () => {
  const train = await emotionSubset(1500, 400);
  try {
    const perClass = await trainAndCheck({ dataset: train, model: 'ngram', calibration: 'per-class', runsDir: join(train, '..', 'runs') });
    assert.equal(perClass.metrics.calibration!.scaling.perClass?.length, perClass.metrics.labels.length);
    const none = await trainRun({ dataset: train, model: 'ngram', calibration: 'none', runsDir: join(train, '..', 'runs') });
    assert.equal((await readRun(none.runDir)).calibration, undefined);
    await assert.rejects(trainRun({ dataset: train, model: 'ngram', calibration: 'platt' as never, runsDir: join(train, '..', 'runs') }), /calibration/);
  } finally {
    await rm(join(train, '..'), { recursive: true, force: true });
  }
});
