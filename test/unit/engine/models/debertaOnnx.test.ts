// DeBERTa's ONNX export computes the engine's logits in ONNX Runtime: the tiny v3 fixture (8 log buckets over 64
// relative positions, shared keys, normed table, no absolute positions or token types) after full fine-tuning, and
// the v2-layout fixture (own pos_key_proj/pos_query_proj, absolute positions, two token types, distances clipped at
// 16) after LoRA (merged into the export), on one right-padded batch of texts of 6 to 128 tokens, so every
// relative-position regime is in it: exact distances, log buckets, and distances beyond max_relative_positions
// (the clipped table rows). The relative rows the graph holds are checked against relativeIndexTable at every
// distance up to 4 × its bound. Independently of the engine, the untrained fixtures' graphs give the PyTorch
// reference's golden logits (torch_deberta.py, Hugging Face semantics) on all 128 golden rows in one padded batch.
// DeBERTa-v3-base's relative settings (256 buckets over 512 positions) on a tiny random model: sequences of up to
// 300 tokens, so distances beyond the 128 exact ones fall in log buckets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, nodePackage, shared, sharedDir } from '../../../helpers/requirements';
import { createBertClassifier } from '../../../../src/engine/models/bert/bertClassifier';
import { loadBertPredictor } from '../../../../src/engine/models/bert/loadBertPredictor';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { loadBertModel } from '../../../../src/engine/models/bert/loadBertModel';
import { buildOnnxModel } from '../../../../src/engine/models/bert/exportOnnx';
import { parseBertConfig } from '../../../../src/engine/models/bert/bertConfig';
import { createBertStore, initWeights } from '../../../../src/engine/models/bert/bertParams';
import { BertCompute } from '../../../../src/engine/models/bert/bertCompute';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { relativeDistanceRows } from '../../../../src/engine/models/nn/onnxRelativeAttention';
import { relativeIndexTable, type RelativeAttentionConfig } from '../../../../src/engine/models/nn/relativePositions';
import type { TrainConfig } from '../../../../src/protocol/train';

const families = join(__dirname, '..', '..', '..', 'fixtures', 'families');
const labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];

interface Ort {
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(model: string | Uint8Array): Promise<{ inputNames: string[]; run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: number[] }>> }> };
}

test('relative rows of the ONNX graph: clipping i − j to ±bound gives relativeIndexTable\'s row at every distance', () => {
  const settings: RelativeAttentionConfig[] = [
    { buckets: 8, maxRelative: 64, span: 8, c2p: true, p2c: true, shareKey: true, normRelEmbedding: true }, // the v3 fixture
    { buckets: 256, maxRelative: 512, span: 256, c2p: true, p2c: true, shareKey: true, normRelEmbedding: true }, // DeBERTa-v3-base
    { buckets: -1, maxRelative: 16, span: 16, c2p: true, p2c: true, shareKey: false, normRelEmbedding: true }, // the v2 fixture
    { buckets: 7, maxRelative: 40, span: 7, c2p: true, p2c: false, shareKey: false, normRelEmbedding: false }, // odd bucket count
  ];
  for (const rel of settings) {
    const { bound, rows } = relativeDistanceRows(rel);
    assert.equal(rows.length, 2 * bound + 1);
    for (let dist = -4 * bound; dist <= 4 * bound; dist++) {
      const clipped = Math.max(-bound, Math.min(bound, dist));
      assert.equal(rows[bound - clipped], relativeIndexTable(rel, dist, 1, 1)[0], `distance ${dist} with ${JSON.stringify(rel)}`);
    }
    // The bound is the first saturated distance: one less is not yet at both ends.
    const before = relativeIndexTable(rel, bound - 1, 1, 1)[0] !== 2 * rel.span - 1 || relativeIndexTable(rel, 1 - bound, 1, 1)[0] !== 0;
    assert.ok(bound === 1 || before, `bound ${bound} is the smallest for ${JSON.stringify(rel)}`);
  }
  assert.equal(relativeDistanceRows(settings[1]).bound, 512);
});

for (const family of ['deberta-v3', 'deberta-v2']) {
  test(`${family}-tiny-random's ONNX graph gives the PyTorch reference's golden logits (128 rows, one padded batch)`, needs(nodePackage('onnxruntime-node')), async () => {
    const ort = require('onnxruntime-node') as Ort;
    const rows = readFileSync(join(families, `golden-${family}-tiny-random.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { input_ids: number[]; logits: number[] });
    const model = await loadBertModel(join(families, `${family}-tiny-random`), labels.length, { requireHead: true });
    const session = await ort.InferenceSession.create(buildOnnxModel(model.cfg, model.store));
    const seqLen = Math.max(...rows.map((r) => r.input_ids.length));
    const ids = new BigInt64Array(rows.length * seqLen).fill(BigInt(model.cfg.padTokenId));
    const mask = new BigInt64Array(rows.length * seqLen);
    rows.forEach((r, b) => { ids.set(r.input_ids.map(BigInt), b * seqLen); mask.fill(1n, b * seqLen, b * seqLen + r.input_ids.length); });
    const feeds: Record<string, unknown> = { input_ids: new ort.Tensor('int64', ids, [rows.length, seqLen]), attention_mask: new ort.Tensor('int64', mask, [rows.length, seqLen]) };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), [rows.length, seqLen]);
    const logits = (await session.run(feeds)).logits.data;
    let maxDiff = 0;
    rows.forEach((r, b) => r.logits.forEach((v, j) => {
      const diff = Math.abs(logits[b * labels.length + j] - v);
      assert.ok(diff <= 1e-4, `row ${b} logit ${j}: onnx ${logits[b * labels.length + j]} vs torch ${v}`);
      maxDiff = Math.max(maxDiff, diff);
    }));
    console.log(`# ${family}: max |onnx − torch| ${maxDiff.toExponential(2)} over ${rows.length * labels.length} golden logits, ${seqLen} tokens`);
  });
}

test('DeBERTa-v3-base relative settings (256 buckets, 512 positions): ONNX Runtime gives the engine\'s logits at 5, 140 and 300 tokens', needs(nodePackage('onnxruntime-node')), async () => {
  const ort = require('onnxruntime-node') as Ort;
  await selectBackend('wasm');
  const raw = JSON.parse(readFileSync(join(families, 'deberta-v3-tiny-random', 'config.json'), 'utf8')) as Record<string, unknown>;
  const cfg = parseBertConfig({ ...raw, position_buckets: 256, max_relative_positions: 512, max_position_embeddings: 512 });
  const store = createBertStore(cfg, labels.length);
  initWeights(store, cfg, store.specs.map((s) => s.name), 23);
  const lengths = [300, 140, 5];
  const seqLen = lengths[0];
  const inputIds = new Int32Array(lengths.length * seqLen);
  const attentionMask = new Int32Array(lengths.length * seqLen);
  let seed = 5;
  lengths.forEach((n, b) => {
    for (let t = 0; t < n; t++) inputIds[b * seqLen + t] = t === 0 ? 1 : t === n - 1 ? 2 : 5 + ((seed = (seed * 48271) % 2147483647) % (cfg.vocabSize - 5));
    attentionMask.fill(1, b * seqLen, b * seqLen + n);
  });
  const compute = new BertCompute(cfg, store, { trainable: new Set() });
  const ours = compute.logits({ inputIds, attentionMask, batchSize: lengths.length, seqLen });
  compute.dispose();
  const session = await ort.InferenceSession.create(buildOnnxModel(cfg, store));
  const int64 = (a: Int32Array): unknown => new ort.Tensor('int64', BigInt64Array.from(Array.from(a, BigInt)), [lengths.length, seqLen]);
  const logits = (await session.run({ input_ids: int64(inputIds), attention_mask: int64(attentionMask) })).logits.data;
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) {
    assert.ok(Math.abs(logits[i] - ours[i]) < 1e-4, `text ${Math.floor(i / labels.length)} logit ${i % labels.length}: onnx ${logits[i]} vs engine ${ours[i]}`);
    maxDiff = Math.max(maxDiff, Math.abs(logits[i] - ours[i]));
  }
  console.log(`# 256 buckets: max |onnx − engine| ${maxDiff.toExponential(2)} over ${ours.length} logits, lengths ${lengths.join(',')}`);
});

for (const [fixture, mode] of [['deberta-v3-tiny-random', 'full'], ['deberta-v2-tiny-random', 'lora']] as const) {
  test(`${fixture} (${mode}) exported to ONNX gives the engine's logits in ONNX Runtime on a padded batch of 6 to 128 tokens`, needs(nodePackage('onnxruntime-node'), shared('data/emotion')), async () => {
    const ort = require('onnxruntime-node') as Ort;
    const dir = mkdtempSync(join(tmpdir(), 'deberta-onnx-'));
    const config: TrainConfig = {
      dataset: join(dir, 'train.jsonl'), model: join(families, fixture), mode, epochs: 1, batchSize: 8, learningRate: 3e-3, weightDecay: 0.01,
      warmupRatio: 0, maxLength: 128, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 11, validationSplit: 0.1, backend: 'wasm', workers: 1,
      ...(mode === 'lora' ? { lora: { rank: 4, alpha: 8, dropout: 0.1, targets: ['query', 'key', 'value'] } } : {}),
    };
    const lines = readFileSync(join(sharedDir, 'data', 'emotion', 'train.jsonl'), 'utf8').trim().split('\n');
    const train = lines.slice(0, 32).map((l, i) => ({ ...(JSON.parse(l) as { text: string; label: string }), file: 'train.jsonl', line: i + 1 }));
    const c = await createBertClassifier(config, labels);
    const { stepsPerEpoch } = await c.beginTraining(train, { epochs: 1, seed: 11 });
    for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(0, s);
    const out = join(dir, 'export');
    await c.exportModel(out);
    const [file] = await c.exportOnnx(out);
    c.dispose();

    const texts = [
      'i feel ok', // 6 tokens with [CLS] and [SEP]: exact distances only
      ...lines.slice(40, 44).map((l) => (JSON.parse(l) as { text: string }).text), // 33–49 tokens: log buckets
      lines.slice(50, 62).map((l) => (JSON.parse(l) as { text: string }).text).join(' and '), // truncated at 128: beyond 64
    ];
    const predictor = await loadBertPredictor(out, { backend: 'wasm' });
    const ours = await predictor.predictLogits(texts);
    predictor.dispose();
    const batch = (await loadTokenizer(out)).encodeBatch(texts, { maxLength: 128 });
    const lengths = Array.from({ length: batch.batchSize }, (_, b) => batch.attentionMask.subarray(b * batch.seqLen, (b + 1) * batch.seqLen).reduce((a, v) => a + v, 0));
    assert.ok(Math.min(...lengths) <= 8 && batch.seqLen > 100, `lengths ${lengths.join(',')} cover short texts and distances beyond max_relative_positions`);
    const int64 = (a: Int32Array): unknown => new ort.Tensor('int64', BigInt64Array.from(Array.from(a, BigInt)), [batch.batchSize, batch.seqLen]);
    const session = await ort.InferenceSession.create(file);
    assert.equal(session.inputNames.includes('token_type_ids'), fixture === 'deberta-v2-tiny-random', 'token_type_ids only where type_vocab_size > 0');
    const feeds: Record<string, unknown> = { input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask) };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = int64(batch.tokenTypeIds);
    const result = (await session.run(feeds)).logits;
    assert.deepEqual(result.dims, [texts.length, labels.length]);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) {
      assert.ok(Math.abs(result.data[i] - ours[i]) < 1e-4, `${fixture} text ${Math.floor(i / labels.length)} logit ${i % labels.length}: onnx ${result.data[i]} vs engine ${ours[i]}`);
      maxDiff = Math.max(maxDiff, Math.abs(result.data[i] - ours[i]));
    }
    // Training moved the head off its fixture values: a graph that ignored the store would not match.
    assert.ok(ours.some((v) => Math.abs(v) > 1e-3));
    console.log(`# ${fixture} (${mode}): max |onnx − engine| ${maxDiff.toExponential(2)} over ${ours.length} logits, lengths ${lengths.join(',')}`);
    rmSync(dir, { recursive: true, force: true });
  });
}
