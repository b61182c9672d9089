// BertClassifier behind the TrainableClassifier contract, on tiny random models built in code: it learns,
// is reproducible, resumes exactly from a checkpoint, and exports a folder that predicts the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBertClassifier } from '../../../../../src/engine/models/bert/bertClassifier';
import { loadBertPredictor } from '../../../../../src/engine/models/bert/loadBertPredictor';
import type { TrainConfig } from '../../../../../src/protocol/train';
import { tinyExamples, tinyTrainConfig, writeTinyBertFolder } from './tinyBertFolder';

const labels = ['neg', 'pos'];
const train = tinyExamples(96, 1);
const heldOut = tinyExamples(40, 2);

async function trainFor(config: TrainConfig, steps?: number) {
  const c = await createBertClassifier(config, labels);
  const { stepsPerEpoch } = await c.beginTraining(train, { epochs: config.epochs, seed: config.seed });
  const losses: number[] = [];
  let done = 0;
  for (let e = 0; e < config.epochs; e++) {
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (steps !== undefined && done++ >= steps) return { c, losses, stepsPerEpoch };
      losses.push((await c.trainStep(e, s)).loss);
    }
  }
  return { c, losses, stepsPerEpoch };
}

function accuracy(probs: Float32Array, examples: typeof train): number {
  let ok = 0;
  examples.forEach((e, i) => {
    if (labels[probs[2 * i + 1] > probs[2 * i] ? 1 : 0] === e.label) ok++;
  });
  return ok / examples.length;
}

test('full fine-tuning learns, and the same seed gives bit-identical weights', async () => {
  const dir = await writeTinyBertFolder('bert');
  const config = tinyTrainConfig(dir, { epochs: 6 });
  const a = await trainFor(config);
  const early = a.losses.slice(0, 6).reduce((x, y) => x + y) / 6;
  const late = a.losses.slice(-6).reduce((x, y) => x + y) / 6;
  assert.ok(late < early * 0.6, `loss fell from ${early} to ${late}`);
  assert.ok(accuracy(await a.c.predictProbs(heldOut.map((e) => e.text)), heldOut) >= 0.9);
  const b = await trainFor(config);
  assert.deepEqual(b.c.parameters().data, a.c.parameters().data);
  const other = await trainFor({ ...config, seed: 6 });
  assert.notDeepEqual(other.c.parameters().data, a.c.parameters().data);
  for (const x of [a, b, other]) x.c.dispose();
});

test('a run resumed from a mid-epoch checkpoint ends bit-identical to an uninterrupted one', async () => {
  const dir = await writeTinyBertFolder('bert');
  const config = tinyTrainConfig(dir, { epochs: 2, gradientAccumulation: 2 });
  const full = await trainFor(config);
  const ckpt = mkdtempSync(join(tmpdir(), 'bert-ckpt-'));
  const part = await trainFor(config, 5); // stops in epoch 0 (6 steps per epoch)
  await part.c.saveCheckpoint(ckpt);
  part.c.dispose();
  const resumed = await createBertClassifier(config, labels);
  const { stepsPerEpoch } = await resumed.beginTraining(train, { epochs: 2, seed: config.seed });
  assert.equal(stepsPerEpoch, 6);
  await resumed.loadCheckpoint(ckpt);
  for (let g = 5; g < 2 * stepsPerEpoch; g++) await resumed.trainStep(Math.floor(g / stepsPerEpoch), g % stepsPerEpoch);
  assert.deepEqual(resumed.parameters().data, full.c.parameters().data);
  resumed.dispose();
  full.c.dispose();
});

test('export writes a HF folder that loads back with the same probabilities (BERT and DistilBERT)', async () => {
  for (const arch of ['bert', 'distilbert'] as const) {
    const dir = await writeTinyBertFolder(arch);
    const { c } = await trainFor(tinyTrainConfig(dir, { epochs: 1 }));
    const out = mkdtempSync(join(tmpdir(), `export-${arch}-`));
    await c.exportModel(out);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.deepEqual(config.architectures, [arch === 'bert' ? 'BertForSequenceClassification' : 'DistilBertForSequenceClassification']);
    assert.deepEqual(config.id2label, { 0: 'neg', 1: 'pos' });
    assert.deepEqual(config.label2id, { neg: 0, pos: 1 });
    assert.equal(config.num_labels, 2);
    readFileSync(join(out, 'vocab.txt'));
    const texts = heldOut.map((e) => e.text);
    const expected = await c.predictProbs(texts);
    const predictor = await loadBertPredictor(out, { backend: 'wasm' });
    assert.deepEqual(predictor.labels, labels);
    const got = await predictor.predictProbs(texts);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `${arch} prob ${i}`);
    predictor.dispose();
    c.dispose();
  }
});

test('LoRA trains only adapters and head (frozen weights bit-identical); the merged export predicts the same', async () => {
  const dir = await writeTinyBertFolder('bert', { layers: 2 });
  const config = tinyTrainConfig(dir, { mode: 'lora', epochs: 3, learningRate: 1e-2, lora: { rank: 4, alpha: 8, dropout: 0.1, targets: ['query', 'value'] } });
  const before = await createBertClassifier(config, labels);
  const initial = before.parameters().data.slice();
  before.dispose();
  const { c, losses } = await trainFor(config);
  assert.ok(losses[losses.length - 1] < losses[0], 'loss decreased');
  const { specs, data } = c.parameters();
  const d = c.describe();
  assert.ok(d.trainableParameters < d.parameters / 5, 'only a small part trains');
  let adaptersMoved = false;
  for (const s of specs) {
    const now = data.subarray(s.offset, s.offset + s.size);
    const was = initial.subarray(s.offset, s.offset + s.size);
    if (s.name.includes('lora_') || s.name.startsWith('classifier.')) {
      if (s.name.endsWith('lora_B')) adaptersMoved ||= now.some((v) => v !== 0);
    } else {
      assert.deepEqual(now, was, `frozen ${s.name} changed`);
    }
  }
  assert.ok(adaptersMoved, 'the adapters trained');
  const out = mkdtempSync(join(tmpdir(), 'export-lora-'));
  await c.exportModel(out);
  const texts = heldOut.map((e) => e.text);
  const adapter = await c.predictProbs(texts);
  const predictor = await loadBertPredictor(out, { backend: 'wasm' });
  const merged = await predictor.predictProbs(texts);
  for (let i = 0; i < merged.length; i++) assert.ok(Math.abs(merged[i] - adapter[i]) < 1e-5, `prob ${i}: merged ${merged[i]} vs adapter ${adapter[i]}`);
  predictor.dispose();
  c.dispose();
});

test('feature extraction encodes each text once and a second run reuses the on-disk cache', async () => {
  const dir = await writeTinyBertFolder('bert');
  const cacheDir = mkdtempSync(join(tmpdir(), 'features-'));
  const config = tinyTrainConfig(dir, { mode: 'feature-extraction', epochs: 8, learningRate: 5e-2 });
  const first = await createBertClassifier(config, labels, { cacheDir });
  await first.beginTraining(train, { epochs: 8, seed: 5 });
  const distinct = new Set(train.map((e) => e.text)).size;
  assert.equal(first.featureCacheStats()!.computed, distinct);
  for (let e = 0; e < 8; e++) for (let s = 0; s < 12; s++) await first.trainStep(e, s);
  const frozenBefore = first.parameters();
  assert.ok(accuracy(await first.predictProbs(train.map((e) => e.text)), train) > 0.6);
  const computedAfterPredict = first.featureCacheStats()!.computed;
  assert.equal(computedAfterPredict, distinct, 'predicting the training texts reuses their vectors');
  const second = await createBertClassifier(config, labels, { cacheDir });
  await second.beginTraining(train, { epochs: 8, seed: 5 });
  assert.equal(second.featureCacheStats()!.computed, 0);
  assert.equal(second.featureCacheStats()!.hits, train.length);
  for (const s of frozenBefore.specs.filter((x) => !x.name.startsWith('classifier.'))) {
    assert.deepEqual(frozenBefore.data.subarray(s.offset, s.offset + s.size), second.parameters().data.subarray(s.offset, s.offset + s.size));
  }
  first.dispose();
  second.dispose();
});

test('two worker threads compute exactly the same training as one', async () => {
  const dir = await writeTinyBertFolder('bert');
  const one = await trainFor(tinyTrainConfig(dir, { epochs: 1, workers: 1 }));
  const two = await trainFor(tinyTrainConfig(dir, { epochs: 1, workers: 2 }));
  try {
    assert.match(two.c.describe().backend, /2 workers/);
    // Shards, dropout masks and the order gradients are summed in do not depend on the worker count.
    assert.deepEqual(two.c.parameters().data, one.c.parameters().data);
    const texts = heldOut.map((e) => e.text);
    assert.deepEqual(await two.c.predictProbs(texts), await one.c.predictProbs(texts));
  } finally {
    // Worker threads must end even when an assertion fails, or the test process would not exit.
    one.c.dispose();
    two.c.dispose();
  }
});

test('the from-scratch transformer uses the bundled vocabulary and random weights', async () => {
  const c = await createBertClassifier(tinyTrainConfig('scratch', { dataset: '/tmp/none/train.jsonl' }), labels);
  const d = c.describe();
  assert.equal(d.kind, 'bert');
  assert.equal(d.source, 'scratch');
  assert.ok(d.parameters > 1e7, 'BERT-mini shape');
  const probs = await c.predictProbs(['the food was great', 'an awful day']);
  assert.equal(probs.length, 4);
  assert.ok(Math.abs(probs[0] + probs[1] - 1) < 1e-5);
  c.dispose();
});
