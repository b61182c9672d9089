// A multi-label run on a transformer (a tiny random BERT folder): sigmoid/BCE training completes, the export's
// config.json says problem_type multi_label_classification and carries the tuned thresholds, the export loads
// back with the same per-label probabilities, and the independent PyTorch implementation
// (../shared/reference/torch_bert.py) gives the same sigmoid outputs from the exported weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { readRun } from '../../src/engine/runs/runStore';
import { exportRun } from '../../src/engine/runs/exportRun';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { writeTinyBertFolder } from '../unit/engine/models/bert/tinyBertFolder';
import { writeMultiLabelDataset } from './multiLabelFixture';
import { needs, python, pythonModule, shared, sharedPath } from '../helpers/requirements';

const torchScript = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import torch
from torch_bert import Bert, WordPiece, load_safetensors
d = sys.argv[2]
cfg = json.load(open(os.path.join(d, "config.json")))
assert cfg["problem_type"] == "multi_label_classification", cfg.get("problem_type")
model = Bert(cfg, cfg["num_labels"])
model.load_hf(load_safetensors(os.path.join(d, "model.safetensors")))
model.eval()
tok = WordPiece(os.path.join(d, "vocab.txt"))
out = []
with torch.no_grad():
    for text in json.loads(sys.stdin.read()):
        x = torch.tensor([tok.encode(text)])
        out.append(torch.sigmoid(model(x, torch.ones_like(x))[0]).tolist())
print(json.dumps(out))
`;

test('a multi-label BERT run exports problem_type and thresholds; the export gives the same sigmoid outputs here and in PyTorch', needs(pythonModule('torch'), shared('reference/torch_bert.py')), async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 2 });
  const { dir, train } = await writeMultiLabelDataset({ train: 120, validation: 30, test: 30 });
  try {
    const weights = join(dir, 'weights.json');
    await writeFile(weights, JSON.stringify({ posWeights: { food: 2 } }));
    const result = await trainRun({ dataset: train, model: modelDir, epochs: 2, batchSize: 8, learningRate: 3e-3, backend: 'wasm', workers: 1, classWeights: weights });
    assert.equal(result.state, 'completed');
    const record = await readRun(result.runDir);
    assert.equal(record.problemType, 'multi_label_classification');
    assert.match(record.classWeights!, /positive weights 1 "complaint" … 2 "food"/);
    assert.ok(result.test?.multiLabel, 'multi-label test metrics');
    assert.ok(Number.isFinite(result.test!.loss));

    const exported = await exportRun(result.runDir, join(dir, 'exported'));
    const config = JSON.parse(await readFile(join(exported.outDir, 'config.json'), 'utf8')) as { problem_type: string; classifier_workbench: { thresholds: Record<string, number> } };
    assert.equal(config.problem_type, 'multi_label_classification');
    assert.deepEqual(record.labels.map((l) => config.classifier_workbench.thresholds[l]), record.thresholds);

    const texts = ['the great food was so', 'this awful movie', 'the day was', 'love the food but sad'];
    const fromRun = await loadPredictor(result.runDir);
    const fromExport = await loadPredictor(exported.outDir);
    assert.deepEqual(fromExport.thresholds, record.thresholds);
    const runProbs = await fromRun.predictProbs(texts);
    const exportProbs = await fromExport.predictProbs(texts);
    const k = record.labels.length;
    for (let i = 0; i < runProbs.length; i++) assert.ok(Math.abs(runProbs[i]! - exportProbs[i]!) < 1e-5, `value ${i}: run ${runProbs[i]} vs export ${exportProbs[i]}`);
    // Sigmoid outputs: independent per label, so a row need not sum to 1.
    assert.ok(Array.from({ length: texts.length }, (_, i) => runProbs.subarray(i * k, (i + 1) * k).reduce((a, b) => a + b, 0)).some((s) => Math.abs(s - 1) > 0.05));
    fromRun.dispose();
    fromExport.dispose();

    const r = spawnSync(python, ['-c', torchScript, sharedPath('reference'), exported.outDir], { input: JSON.stringify(texts), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const torchProbs = JSON.parse(r.stdout) as number[][];
    torchProbs.forEach((row, i) => row.forEach((p, c) => assert.ok(Math.abs(p - exportProbs[i * k + c]!) < 1e-4, `text ${i} label ${c}: torch ${p} vs engine ${exportProbs[i * k + c]}`)));
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  }
});

for (const mode of ['feature-extraction', 'lora'] as const) {
  test(`a multi-label BERT run in ${mode} mode trains with sigmoid outputs`, async () => {
    const modelDir = await writeTinyBertFolder('bert', { layers: 1 });
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
      await rm(modelDir, { recursive: true, force: true });
    }
  });
}
