// The multi-label objective in the other encoder families: RoBERTa and ELECTRA (BERT variants, src/engine/models/bert)
// train on list labels with sigmoid outputs and binary cross-entropy, like BERT and DistilBERT
// (multiLabelBertRun.test.ts). Each run must lower the summed binary cross-entropy of its training split, export `problem_type: multi_label_classification`, and its exported weights must give the same
// per-label sigmoid probabilities in the independent PyTorch reference (test/reference/torch_encoders.py) as here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { readRun } from '../../src/engine/runs/runStore';
import { exportRun } from '../../src/engine/runs/exportRun';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { writeMultiLabelDataset } from './multiLabelFixture';
import { needs, python, pythonModule } from '../helpers/requirements';

const fixtures = join(__dirname, '..', 'fixtures', 'families');
const reference = join(__dirname, '..', 'reference', 'torch_encoders.py');

for (const family of ['roberta', 'electra']) {
  test(`a multi-label ${family} run trains with sigmoid/BCE, learns, and exports the same sigmoid outputs PyTorch computes`, needs(pythonModule('torch')), async () => {
    const { dir, train } = await writeMultiLabelDataset({ train: 160, validation: 40, test: 40 }, 5);
    try {
      const result = await trainRun({ dataset: train, model: join(fixtures, `${family}-tiny-random`), epochs: 3, patience: 3, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
      assert.equal(result.state, 'completed');
      const record = await readRun(result.runDir);
      assert.equal(record.problemType, 'multi_label_classification');
      // The optimiser lowers the summed binary cross-entropy on the training split from epoch to epoch.
      const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as { epochs: Array<{ epoch: number; trainLoss: number | null }> };
      const trainLosses = metrics.epochs.filter((e) => e.epoch > 0).map((e) => e.trainLoss!);
      assert.ok(trainLosses.length >= 3 && trainLosses.at(-1)! < trainLosses[0], `${family}: train BCE by epoch ${trainLosses.join(', ')}`);

      const exported = await exportRun(result.runDir, join(dir, 'exported'));
      const config = JSON.parse(await readFile(join(exported.outDir, 'config.json'), 'utf8')) as { problem_type: string; id2label: Record<string, string> };
      assert.equal(config.problem_type, 'multi_label_classification');
      assert.deepEqual(Object.values(config.id2label), record.labels);
      const texts = ['the great food was so', 'this awful movie', 'the day was', 'love the food but sad'];
      const predictor = await loadPredictor(exported.outDir);
      const probs = await predictor.predictProbs(texts);
      predictor.dispose();
      const k = record.labels.length;
      const r = spawnSync(python, [reference, 'logits', exported.outDir, '--max-length', '48'], { input: JSON.stringify(texts), encoding: 'utf8' });
      assert.equal(r.status, 0, `the PyTorch reference failed (CI installs python3-torch): ${r.stderr}`);
      const logits = JSON.parse(r.stdout) as number[][];
      logits.forEach((row, i) => row.forEach((z, c) => {
        const sigmoid = 1 / (1 + Math.exp(-z));
        assert.ok(Math.abs(sigmoid - probs[i * k + c]!) < 1e-4, `${family} text ${i} label ${c}: torch sigmoid ${sigmoid} vs engine ${probs[i * k + c]}`);
      }));
      // And not a softmax over the same logits (which the single-label objective would give).
      const softmaxGap = Math.max(...logits.flatMap((row, i) => {
        const e = row.map((z) => Math.exp(z));
        const sum = e.reduce((a, b) => a + b, 0);
        return e.map((v, c) => Math.abs(v / sum - probs[i * k + c]!));
      }));
      assert.ok(softmaxGap > 1e-2, `${family}: probabilities equal a softmax (gap ${softmaxGap})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
