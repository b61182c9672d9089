import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun, resumeRun, type RunMetricsFile } from '../../src/engine/train/runTraining';
import { listRuns, readRun } from '../../src/engine/runs/runStore';
import { computeMetrics } from '../../src/engine/metrics/classificationMetrics';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { exportRun } from '../../src/engine/runs/exportRun';
import type { TrainEvent } from '../../src/protocol/train';
import type { PredictionLine } from '../../src/engine/runs/writePredictions';
import { writeTinyDataset } from './trainFixture';

const readJsonl = async <T>(path: string): Promise<T[]> => (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as T);

test('an n-gram run completes and writes every run file consistently', async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    const { appendFile } = await import('node:fs/promises');
    await appendFile(train, '{"text": "broken\n');
    const events: TrainEvent[] = [];
    const result = await trainRun({ dataset: train, model: 'ngram', epochs: 4, batchSize: 4, learningRate: 1 }, { onEvent: (e) => events.push(e) });
    assert.equal(result.state, 'completed');
    assert.match(result.runId, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-train-fixture-\w+-ngram$/);
    assert.equal(result.runDir, join(dir, '.classifier-workbench', 'runs', result.runId));
    const files = (await readdir(result.runDir)).sort();
    assert.deepEqual(files, ['checkpoints', 'events.jsonl', 'metrics.json', 'predictions', 'report.md', 'run.json']);
    assert.deepEqual((await readdir(join(result.runDir, 'checkpoints'))).sort(), ['best', 'last']);

    const record = await readRun(result.runDir);
    assert.equal(record.state, 'completed');
    assert.deepEqual(record.labels, ['billing', 'delivery', 'login']);
    assert.equal(record.dataset?.counts.train, 60);
    assert.equal(record.backend, 'js');

    // Epoch events: baseline then one per epoch, in order; a test event once.
    const epochs = events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch);
    assert.deepEqual(epochs, [0, 1, 2, 3, 4]);
    assert.equal(events.filter((e) => e.type === 'test').length, 1);
    assert.ok(events.some((e) => e.type === 'progress'));
    const logged = (await readFile(join(result.runDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(logged.length, events.length, 'events.jsonl has every emitted event');

    // The test metrics are those of the predictions file, recomputed independently.
    const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    const preds = await readJsonl<PredictionLine>(join(result.runDir, 'predictions', 'test.jsonl'));
    assert.equal(preds.length, 15);
    const labels = metrics.labels;
    const recomputed = computeMetrics(preds.map((p) => labels.indexOf(p.gold)), preds.flatMap((p) => p.probabilities), labels, 'test');
    assert.ok(Math.abs(recomputed.accuracy - metrics.test!.accuracy) < 1e-9);
    assert.ok(metrics.test!.accuracy > metrics.baselineTest!.accuracy + 0.3, `training helped: ${metrics.baselineTest!.accuracy} → ${metrics.test!.accuracy}`);
    assert.ok(preds.every((p) => p.line >= 1 && p.file.endsWith('test.jsonl') && Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4));
    assert.equal(metrics.bestEpoch, result.best?.epoch);

    const warning = events.find((e) => e.type === 'log' && e.level === 'warn');
    assert.match((warning as { message: string }).message, new RegExp(`1 line was skipped: \\w+ 1 \\(first: ${train.replace(/[.\\/]/g, '\\$&')}:61: `));
    const report = await readFile(join(result.runDir, 'report.md'), 'utf8');
    assert.match(report, /1 line was skipped/);
    for (const heading of ['## Data', '## Model', '## Hyperparameters', '## Before and after training', '## Per class', '## Confusion matrix', '## Most frequent confusions', '## Most confident errors']) {
      assert.ok(report.includes(heading), `report has ${heading}`);
    }

    // The run's model predicts the same probabilities as the predictions file, directly and after export.
    const predictor = await loadPredictor(result.runDir);
    const probs = await predictor.predictProbs(preds.slice(0, 3).map((p) => p.text));
    assert.deepEqual(Array.from(probs.subarray(0, 3), (x) => Number(x.toPrecision(6))), preds[0]!.probabilities);
    const exported = await exportRun(result.runDir);
    assert.deepEqual(exported.files, ['ngram.json', 'ngram.safetensors']);
    const fromExport = await loadPredictor(exported.outDir);
    assert.deepEqual(Array.from(await fromExport.predictProbs(['charged card'])), Array.from(await predictor.predictProbs(['charged card'])));

    const listed = await listRuns(join(dir, '.classifier-workbench', 'runs'));
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.state, 'completed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('cancelling mid-epoch keeps checkpoints/last at that step; resuming gives the uninterrupted result', async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    const config = { dataset: train, model: 'ngram', epochs: 3, batchSize: 2, patience: 0 };
    const straight = await trainRun({ ...config, runsDir: join(dir, 'a') });

    const abort = new AbortController();
    const cancelled = await trainRun({ ...config, runsDir: join(dir, 'b') }, {
      signal: abort.signal,
      progressIntervalMs: 0,
      // Abort during epoch 2 (progress epochs are 1-based), after its 7th step.
      onEvent: (e) => { if (e.type === 'progress' && e.epoch === 2 && e.step === 30 + 7) abort.abort(); },
    });
    assert.equal(cancelled.state, 'cancelled');
    const record = await readRun(cancelled.runDir);
    assert.equal(record.state, 'cancelled');
    assert.deepEqual(record.progress, { epoch: 1, step: 7, stepsPerEpoch: 30, epochs: 3 });
    await stat(join(cancelled.runDir, 'checkpoints', 'last', 'trainer.json'));

    const resumed = await resumeRun(cancelled.runDir);
    assert.equal(resumed.state, 'completed');
    assert.deepEqual(resumed.test, straight.test);
    assert.deepEqual(resumed.best, straight.best);
    assert.equal(await readFile(join(resumed.runDir, 'predictions', 'test.jsonl'), 'utf8'), await readFile(join(straight.runDir, 'predictions', 'test.jsonl'), 'utf8'));
    await assert.rejects(resumeRun(resumed.runDir), /already completed/);

    // Cancelled after the last step of epoch 1, during its evaluation: resuming evaluates it, then goes on.
    const abortInEval = new AbortController();
    const inEval = await trainRun({ ...config, runsDir: join(dir, 'c') }, {
      signal: abortInEval.signal,
      progressIntervalMs: 0,
      onEvent: (e) => { if (e.type === 'progress' && e.epoch === 1 && e.step === 30) abortInEval.abort(); },
    });
    assert.equal(inEval.state, 'cancelled');
    assert.match((await readRun(inEval.runDir)).message ?? '', /before evaluating epoch 1/);
    const resumedAfterEval = await resumeRun(inEval.runDir);
    assert.deepEqual(resumedAfterEval.test, straight.test);
    assert.deepEqual(resumedAfterEval.best, straight.best);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a run cancelled before its first checkpoint says so, and resume trains it again from the start (as run/resume does)', async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(trainRun({ dataset: train, model: 'ngram' }, { signal: abort.signal }), /cancelled during the baseline evaluation/);
    const [run] = await listRuns(join(dir, '.classifier-workbench', 'runs'));
    assert.equal(run!.state, 'cancelled');
    const events: TrainEvent[] = [];
    const resumed = await resumeRun(run!.runDir, { onEvent: (e) => events.push(e) });
    assert.ok(events.some((e) => e.type === 'log' && /stopped before its first checkpoint: training it again from the start/.test(e.message)));
    assert.equal(resumed.state, 'completed');
    assert.equal((await readRun(run!.runDir)).state, 'completed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('early stopping ends training when validation loss stops improving, and the best epoch is restored', async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    // A huge learning rate makes validation loss bounce, so patience 1 triggers.
    const result = await trainRun({ dataset: train, model: 'ngram', epochs: 30, batchSize: 1, learningRate: 20, patience: 1 });
    const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    assert.equal(metrics.stoppedEarly, true);
    assert.ok(metrics.epochs.length < 30);
    const last = metrics.epochs.at(-1)!;
    assert.equal(last.isBest, false);
    const best = metrics.epochs.find((e) => e.epoch === metrics.bestEpoch)!;
    assert.ok(best.validation.loss <= Math.min(...metrics.epochs.map((e) => e.validation.loss)));
    // The final validation predictions come from the best epoch's weights, not the last one's.
    const preds = await readJsonl<PredictionLine>(join(result.runDir, 'predictions', 'validation.jsonl'));
    const loss = preds.reduce((a, p) => a + p.loss, 0) / preds.length;
    assert.ok(Math.abs(loss - best.validation.loss) < 1e-3, `validation loss of predictions ${loss} vs best ${best.validation.loss}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bad option fails before anything is written; bad data marks the run failed', async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    await assert.rejects(trainRun({ dataset: train, model: 'ngram', epochs: 0 }), /option epochs must be a whole number ≥ 1/);
    await assert.rejects(stat(join(dir, '.classifier-workbench')), /ENOENT/);
    await assert.rejects(trainRun({ dataset: join(dir, 'nope.jsonl'), model: 'ngram' }), /no such file/);
    const { writeFile } = await import('node:fs/promises');
    const oneClass = join(dir, 'one-class.jsonl');
    await writeFile(oneClass, '{"text": "a", "label": "x"}\n{"text": "b", "label": "x"}\n');
    await assert.rejects(trainRun({ dataset: oneClass, model: 'ngram' }), /Cannot train/);
    const runs = await listRuns(join(dir, '.classifier-workbench', 'runs'));
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.state, 'failed');
    assert.ok(runs[0]!.message);

    // A run another live process is training cannot be resumed a second time.
    const { writeRun } = await import('../../src/engine/runs/runStore');
    const { hostname } = await import('node:os');
    const record = await readRun(runs[0]!.runDir);
    await writeRun(runs[0]!.runDir, { ...record, state: 'running', owner: { pid: process.ppid, host: hostname() } });
    await assert.rejects(resumeRun(runs[0]!.runDir), /is still running \(process \d+\); stop it first/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
