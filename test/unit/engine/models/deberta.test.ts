// DeBERTa-v2/v3 beyond the family parity tests (familyGoldens/familyTraining): the relative-position buckets equal
// torch's float32 computation for the tiny fixture's and DeBERTa-v3-base's settings; a checkpoint as Microsoft
// publishes it (spm.model only, pytorch_model.bin with the pre-training heads and an unused position table) loads and
// predicts the goldens; configs the engine does not compute are refused naming the field; feature extraction trains
// the classifier on cached ContextPooler vectors, and its ONNX export holds the trained head. Torch parts need
// /usr/bin/python3 with torch (a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, python, pythonModule, shared, sharedDir } from '../../../helpers/requirements';
import { logBucketPosition } from '../../../../src/engine/models/nn/relativePositions';
import { parseBertConfig } from '../../../../src/engine/models/bert/bertConfig';
import { loadBertModel } from '../../../../src/engine/models/bert/loadBertModel';
import { BertCompute } from '../../../../src/engine/models/bert/bertCompute';
import { createBertClassifier } from '../../../../src/engine/models/bert/bertClassifier';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { EngineError } from '../../../../src/engine/errors';
import type { TrainConfig } from '../../../../src/protocol/train';

const fixture = join(__dirname, '..', '..', '..', 'fixtures', 'families', 'deberta-v3-tiny-random');
const goldens = join(__dirname, '..', '..', '..', 'fixtures', 'families', 'golden-deberta-v3-tiny-random.jsonl');
const reference = join(__dirname, '..', '..', '..', 'reference', 'torch_deberta.py');

function referenceRun(args: string[]): string {
  const r = spawnSync(python, [reference, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `the PyTorch reference failed (CI installs python3-torch): ${r.stderr}`);
  return r.stdout;
}

test('relative-position buckets equal torch\'s for the fixture (8, 64) and DeBERTa-v3 (256, 512) at every distance', needs(pythonModule('torch')), () => {
  for (const [buckets, maxRelative] of [[8, 64], [256, 512]]) {
    const theirs = JSON.parse(referenceRun(['buckets', String(buckets), String(maxRelative)])) as { from: number; buckets: number[] };
    assert.equal(theirs.buckets.length, 4 * maxRelative + 1);
    theirs.buckets.forEach((b, i) => assert.equal(logBucketPosition(theirs.from + i, buckets, maxRelative), b, `distance ${theirs.from + i} with (${buckets}, ${maxRelative})`));
    // Log buckets are in use: far distances share buckets.
    assert.ok(new Set(theirs.buckets).size < theirs.buckets.length / 2);
  }
});

test('a checkpoint as published (spm.model only; pytorch_model.bin with LM and replaced-token heads, an unused position table) predicts the goldens', needs(pythonModule('torch')), async () => {
  await selectBackend('wasm');
  const dir = mkdtempSync(join(tmpdir(), 'deberta-published-'));
  referenceRun(['as-published', fixture, dir]);
  const model = await loadBertModel(dir, 6, { requireHead: true });
  assert.equal(model.tokenizer.source, 'spm.model');
  const compute = new BertCompute(model.cfg, model.store, { trainable: new Set() });
  const rows = readFileSync(goldens, 'utf8').trim().split('\n').slice(0, 20).map((l) => JSON.parse(l) as { text: string; input_ids: number[]; logits: number[] });
  for (const row of rows) {
    const ids = model.tokenizer.encode(row.text, 64);
    assert.deepEqual(ids, row.input_ids);
    const logits = compute.logits({ inputIds: Int32Array.from(ids), attentionMask: new Int32Array(ids.length).fill(1), batchSize: 1, seqLen: ids.length });
    row.logits.forEach((v, j) => assert.ok(Math.abs(logits[j] - v) <= 1e-4, `${JSON.stringify(row.text)} logit ${j}: ${logits[j]} vs torch ${v}`));
  }
  compute.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const v3: Record<string, unknown> = JSON.parse(readFileSync(join(fixture, 'config.json'), 'utf8'));

test('DeBERTa-v3 config: relative attention settings are read; what the engine does not compute is refused naming the field', () => {
  const cfg = parseBertConfig({ ...v3 });
  assert.equal(cfg.modelType, 'deberta-v2');
  assert.deepEqual(cfg.relativeAttention, { buckets: 8, maxRelative: 64, span: 8, c2p: true, p2c: true, shareKey: true, normRelEmbedding: true });
  assert.equal(cfg.absolutePositions, false);
  assert.equal(cfg.typeVocabSize, 0);
  // pos_att_type as a list, max_relative_positions -1 (→ max_position_embeddings) and no buckets: the v2 layout.
  const v2 = parseBertConfig({ ...v3, pos_att_type: ['c2p'], position_buckets: -1, max_relative_positions: -1, share_att_key: false, norm_rel_ebd: 'none' });
  assert.deepEqual(v2.relativeAttention, { buckets: -1, maxRelative: 128, span: 128, c2p: true, p2c: false, shareKey: false, normRelEmbedding: false });
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ conv_kernel_size: 3 }, /conv_kernel_size 3: the convolution layer/],
    [{ relative_attention: false }, /relative_attention is not true/],
    [{ embedding_size: 16 }, /embedding_size 16 differs from hidden_size 32/],
    [{ pos_att_type: 'p2c|p2p' }, /pos_att_type "p2p" is not supported/],
    [{ architectures: ['DebertaForSequenceClassification'] }, /Unsupported architecture DebertaForSequenceClassification/],
    [{ hidden_act: 'relu' }, /Activation "relu"/],
    [{ position_buckets: 1e9 }, /"position_buckets" is 1,000,000,000, outside the engine's bound/],
  ];
  for (const [patch, message] of refused) {
    assert.throws(() => parseBertConfig({ ...v3, ...patch }, 'config.json'), (err: unknown) => err instanceof EngineError && err.data.file === 'config.json' && message.test(err.message), JSON.stringify(patch));
  }
});

test('DeBERTa feature extraction trains the classifier on cached ContextPooler vectors; the ONNX export carries the trained head', needs(shared('data/emotion')), async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deberta-features-'));
  const labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
  const config: TrainConfig = {
    dataset: join(dir, 'train.jsonl'), model: fixture, mode: 'feature-extraction', epochs: 1, batchSize: 8, learningRate: 1e-2, weightDecay: 0,
    warmupRatio: 0, maxLength: 48, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 3, validationSplit: 0.1, backend: 'wasm', workers: 1,
  };
  const c = await createBertClassifier(config, labels, { cacheDir: join(dir, 'cache') });
  const lines = readFileSync(join(sharedDir, 'data', 'emotion', 'train.jsonl'), 'utf8').trim().split('\n').slice(0, 48);
  const train = lines.map((l, i) => ({ ...(JSON.parse(l) as { text: string; label: string }), file: 'train.jsonl', line: i + 1 }));
  const before = c.parameters().data.slice();
  const { stepsPerEpoch } = await c.beginTraining(train, { epochs: 1, seed: 3 });
  const losses: number[] = [];
  for (let s = 0; s < stepsPerEpoch; s++) losses.push((await c.trainStep(0, s)).loss);
  const { specs, data } = c.parameters();
  const changed = specs.filter((s) => data.subarray(s.offset, s.offset + s.size).some((v, i) => v !== before[s.offset + i])).map((s) => s.name);
  assert.deepEqual(changed.sort(), ['classifier.bias', 'classifier.weight']);
  assert.equal(c.featureCacheStats()?.computed, 48);
  assert.ok(losses.every(Number.isFinite));
  // The ONNX export carries the trained head (debertaOnnx.test.ts runs such graphs in ONNX Runtime).
  const onnx = readFileSync((await c.exportOnnx(join(dir, 'export')))[0]!);
  const head = c.parameters().specs.find((s) => s.name === 'classifier.weight')!;
  assert.ok(onnx.includes(Buffer.from(data.buffer, data.byteOffset + head.offset * 4, head.size * 4)), 'the trained classifier.weight is in model.onnx');
  c.dispose();
  rmSync(dir, { recursive: true, force: true });
});
