// An exported folder loads into the independent PyTorch implementation (../shared/reference/torch_bert.py,
// our stand-in for Python transformers) and gives the same logits. Needs python3-torch (skipped without it outside CI,
// a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBertClassifier } from '../../../../../src/engine/models/bert/bertClassifier';
import { loadBertPredictor } from '../../../../../src/engine/models/bert/loadBertPredictor';
import { tinyExamples, tinyTrainConfig, writeTinyBertFolder } from './tinyBertFolder';
import { needs, python, pythonModule, shared, sharedPath } from '../../../../helpers/requirements';

const reference = sharedPath('reference');

const script = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import torch
from torch_bert import Bert, WordPiece, load_safetensors
d = sys.argv[2]
cfg = json.load(open(os.path.join(d, "config.json")))
model = Bert(cfg, cfg["num_labels"])
model.load_hf(load_safetensors(os.path.join(d, "model.safetensors")))
model.eval()
tok = WordPiece(os.path.join(d, "vocab.txt"))
out = []
with torch.no_grad():
    for text in json.loads(sys.stdin.read()):
        x = torch.tensor([tok.encode(text)])
        out.append(model(x, torch.ones_like(x))[0].tolist())
print(json.dumps(out))
`;

test('exported BERT folder gives the same logits in torch_bert.py', needs(pythonModule('torch'), shared('reference/torch_bert.py')), async () => {
  const dir = await writeTinyBertFolder('bert', { layers: 2 });
  const labels = ['neg', 'pos'];
  const train = tinyExamples(64, 3);
  const c = await createBertClassifier(tinyTrainConfig(dir, { epochs: 1 }), labels);
  const { stepsPerEpoch } = await c.beginTraining(train, { epochs: 1, seed: 5 });
  for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(0, s);
  const out = mkdtempSync(join(tmpdir(), 'export-torch-'));
  await c.exportModel(out);
  c.dispose();
  const texts = tinyExamples(12, 9).map((e) => e.text);
  const predictor = await loadBertPredictor(out, { backend: 'wasm' });
  const ours = await predictor.predictLogits(texts);
  predictor.dispose();
  const r = spawnSync(python, ['-c', script, reference, out], { input: JSON.stringify(texts), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const theirs = JSON.parse(r.stdout) as number[][];
  assert.equal(ours.length, texts.length * labels.length, 'the engine gives two logits per text');
  assert.equal(theirs.length, texts.length, 'torch_bert.py answers every text');
  theirs.forEach((row, i) => assert.equal(row.length, labels.length, `torch logits of text ${i}`));
  theirs.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - ours[i * 2 + j]) < 1e-4, `text ${i} logit ${j}: torch ${v} vs engine ${ours[i * 2 + j]}`)));
});
