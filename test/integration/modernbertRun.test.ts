// ModernBERT through the whole run (trainRun → run folder → export → loadPredictor), multi-label as the BERT family
// does it: sigmoid/BCE with positive weights, problem_type and tuned thresholds in the export, the run and the export
// predicting the same per-label probabilities, and the independent PyTorch reference (test/reference/
// torch_modernbert.py) giving the same sigmoid outputs from the exported weights. Feature extraction and LoRA runs
// train with sigmoid outputs too. The model is the committed tiny random fixture (its byte-level BPE covers any text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { readRun } from '../../src/engine/runs/runStore';
import { exportRun } from '../../src/engine/runs/exportRun';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { writeMultiLabelDataset } from './multiLabelFixture';
import { needs, python, pythonModule, shared } from '../helpers/requirements';

const modelDir = join(__dirname, '..', 'fixtures', 'families', 'modernbert-tiny-random');
const reference = join(__dirname, '..', 'reference', 'torch_modernbert.py');

test('a multi-label ModernBERT run exports problem_type and thresholds; the export gives the same sigmoid outputs here and in PyTorch', needs(pythonModule('torch'), shared('reference/torch_bert.py')), async () => {
  const { dir, train } = await writeMultiLabelDataset({ train: 120, validation: 30, test: 30 });
  try {
    const weights = join(dir, 'weights.json');
    await writeFile(weights, JSON.stringify({ posWeights: { food: 2 } }));
    const result = await trainRun({ dataset: train, model: modelDir, epochs: 2, batchSize: 8, learningRate: 3e-3, backend: 'wasm', workers: 1, classWeights: weights });
    assert.equal(result.state, 'completed');
    const record = await readRun(result.runDir);
    assert.equal(record.problemType, 'multi_label_classification');
    assert.equal(record.model?.kind, 'modernbert');
    assert.ok(result.test?.multiLabel, 'multi-label test metrics');
    assert.ok(result.test!.loss < result.baselineTest!.loss, `test loss fell: ${result.baselineTest!.loss} → ${result.test!.loss}`);

    const exported = await exportRun(result.runDir, join(dir, 'exported'));
    const config = JSON.parse(await readFile(join(exported.outDir, 'config.json'), 'utf8')) as { problem_type: string; architectures: string[]; classifier_workbench: { thresholds: Record<string, number> } };
    assert.equal(config.problem_type, 'multi_label_classification');
    assert.deepEqual(config.architectures, ['ModernBertForSequenceClassification']);
    assert.deepEqual(record.labels.map((l) => config.classifier_workbench.thresholds[l]), record.thresholds);

    const texts = ['the great food was so', 'this awful movie', 'the day was', 'love the food but sad'];
    const fromRun = await loadPredictor(result.runDir);
    const fromExport = await loadPredictor(exported.outDir);
    assert.deepEqual(fromExport.thresholds, record.thresholds);
    const runProbs = await fromRun.predictProbs(texts);
    const exportProbs = await fromExport.predictProbs(texts);
    fromRun.dispose();
    fromExport.dispose();
    const k = record.labels.length;
    for (let i = 0; i < runProbs.length; i++) assert.ok(Math.abs(runProbs[i]! - exportProbs[i]!) < 1e-5, `value ${i}: run ${runProbs[i]} vs export ${exportProbs[i]}`);

    const r = spawnSync(python, [reference, 'logits', exported.outDir], { input: JSON.stringify(texts), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const torchLogits = JSON.parse(r.stdout) as number[][];
    torchLogits.forEach((row, i) => row.forEach((z, c) => {
      const p = 1 / (1 + Math.exp(-z));
      assert.ok(Math.abs(p - exportProbs[i * k + c]!) < 1e-4, `text ${i} label ${c}: torch ${p} vs engine ${exportProbs[i * k + c]}`);
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const mode of ['feature-extraction', 'lora'] as const) {
  test(`a multi-label ModernBERT run in ${mode} mode trains with sigmoid outputs`, async () => {
    const { dir, train } = await writeMultiLabelDataset({ train: 80, validation: 20, test: 20 });
    try {
      const result = await trainRun({ dataset: train, model: modelDir, mode, epochs: 2, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1, classWeights: 'balanced' });
      assert.equal(result.state, 'completed');
      assert.ok(result.test?.multiLabel);
      assert.ok(Number.isFinite(result.test!.loss) && result.test!.loss < result.baselineTest!.loss, `loss ${result.baselineTest!.loss} → ${result.test!.loss}`);
      const predictor = await loadPredictor(result.runDir);
      const probs = await predictor.predictProbs(['the great food was so']);
      predictor.dispose();
      assert.ok(probs.every((p) => p > 0 && p < 1));
      assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) > 1e-3, 'independent per-label probabilities, not a softmax');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
