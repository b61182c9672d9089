// The ModernBERT ONNX export computes the engine's logits in ONNX Runtime: after a few training steps, on a padded
// batch of texts longer than the local window (so the sliding-window mask and both rotary bases matter), for cls
// pooling without biases (LoRA, merged on export) and mean pooling with every bias (full fine-tuning, with the tanh
// GELU and SiLU activations). Needs onnxruntime-node, an optional dependency (test/helpers/requirements.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModernBertClassifier } from '../../../../../src/engine/models/modernbert/modernbertClassifier';
import { loadModernBertModel } from '../../../../../src/engine/models/modernbert/loadModernBertModel';
import { ModernBertCompute } from '../../../../../src/engine/models/modernbert/modernbertCompute';
import { padTokenBatch } from '../../../../../src/engine/models/nn/classifierTraining';
import { buildModernBertOnnx } from '../../../../../src/engine/models/modernbert/exportModernBertOnnx';
import type { TrainConfig } from '../../../../../src/protocol/train';
import type { Example } from '../../../../../src/engine/data/example';
import { needs, nodePackage } from '../../../../helpers/requirements';

interface Ort {
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(path: string): Promise<{ inputNames: string[]; run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> }> };
}

const fixtures = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families');
const labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];

const words = ['i', 'feel', 'so', 'happy', 'today', 'and', 'a', 'little', 'scared', 'about', 'the', 'news', 'that', 'came', 'this', 'morning', 'from', 'my', 'sister'];

/** Texts of 1…`maxWords` words (deterministic), labelled round-robin. */
function examples(n: number, maxWords: number, seed: number): Example[] {
  return Array.from({ length: n }, (_, i) => {
    const len = 1 + ((i * 7 + seed) % maxWords);
    const text = Array.from({ length: len }, (_, j) => words[(i * 5 + j * 3 + seed) % words.length]).join(' ');
    return { text, label: labels[i % labels.length], file: 'train.jsonl', line: i + 1 };
  });
}

function config(dir: string, patch: Partial<TrainConfig>): TrainConfig {
  return {
    dataset: join(dir, 'train.jsonl'), model: dir, mode: 'full', epochs: 1, batchSize: 8, learningRate: 1e-2, weightDecay: 0.01,
    warmupRatio: 0, maxLength: 64, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 3, validationSplit: 0.1,
    backend: 'wasm', workers: 1, ...patch,
  };
}

/** A fixture copy with some config.json fields changed (activations: the weights keep their shapes). */
function fixtureWith(name: string, patch: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'modernbert-onnx-fixture-'));
  cpSync(join(fixtures, name), dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, ...patch }));
  return dir;
}

const cases: { name: string; fixture: string; patch: Record<string, unknown>; train: Partial<TrainConfig> }[] = [
  // 4 layers, global every 3rd (layers 0 and 3), window 8, no biases.
  { name: 'cls pooling, no biases, LoRA', fixture: 'modernbert-tiny-random', patch: {},
    train: { mode: 'lora', lora: { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'output', 'intermediate', 'ffnOutput'] } } },
  // 3 layers, global every 2nd (layers 0 and 2), window 6, every bias.
  { name: 'mean pooling, every bias, gelu_pytorch_tanh / silu', fixture: 'modernbert-tiny-random-mean',
    patch: { hidden_activation: 'gelu_pytorch_tanh', classifier_activation: 'silu' }, train: { mode: 'full' } },
];

for (const c of cases) {
  test(`ModernBERT ONNX export (${c.name}) gives the engine's logits in ONNX Runtime on a padded batch`, needs(nodePackage('onnxruntime-node')), async () => {
    const ort = require('onnxruntime-node') as Ort;
    const dir = fixtureWith(c.fixture, c.patch);
    const cfg = config(dir, c.train);
    const clf = await createModernBertClassifier(cfg, labels, dir);
    const { stepsPerEpoch } = await clf.beginTraining(examples(24, 30, 1), { epochs: 1, seed: cfg.seed });
    const before = clf.parameters().data.slice();
    for (let s = 0; s < stepsPerEpoch; s++) await clf.trainStep(0, s);
    assert.ok(clf.parameters().data.some((v, i) => v !== before[i]), 'training changed the weights');
    const out = mkdtempSync(join(tmpdir(), 'modernbert-onnx-'));
    await clf.exportModel(out);
    const [file] = await clf.exportOnnx(out);
    assert.equal(file, join(out, 'onnx', 'model.onnx'));

    // Texts of different lengths, the longest far beyond the local window (8 or 6 tokens).
    const texts = examples(5, 40, 4).map((e) => e.text).concat(words.join(' '), 'happy');
    const probs = await clf.predictProbs(texts);
    clf.dispose();
    const model = await loadModernBertModel(out, labels.length);
    const batch = padTokenBatch(texts.map((t) => model.tokenizer.encode(t, cfg.maxLength)), model.cfg.padTokenId);
    assert.ok(batch.seqLen > 2 * model.cfg.localAttention, `the longest text (${batch.seqLen} tokens) spans several windows`);
    assert.ok(batch.attentionMask.includes(0), 'the batch is padded');
    const compute = new ModernBertCompute(model.cfg, model.store, { trainable: new Set() });
    const ours = compute.logits(batch);
    compute.dispose();

    const int64 = (a: Int32Array): unknown => new ort.Tensor('int64', BigInt64Array.from(Array.from(a, BigInt)), [batch.batchSize, batch.seqLen]);
    const session = await ort.InferenceSession.create(file);
    assert.deepEqual([...session.inputNames].sort(), ['attention_mask', 'input_ids']);
    const result = (await session.run({ input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask) })).logits;
    assert.deepEqual([...result.dims], [texts.length, labels.length]);
    const theirs = result.data;
    let maxDiff = 0;
    for (let i = 0; i < theirs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(theirs[i] - ours[i]));
    assert.ok(maxDiff < 1e-4, `max |onnx − engine| logit ${maxDiff}`);
    // And the trained classifier's own predictions (LoRA adapters unmerged, its own batching) are the graph's softmax.
    const k = labels.length;
    for (let r = 0; r < texts.length; r++) {
      const row = Array.from(theirs.subarray(r * k, (r + 1) * k));
      const m = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
      row.forEach((v, j) => assert.ok(Math.abs(Math.exp(v - m) / z - probs[r * k + j]) < 1e-5, `text ${r} prob ${j}: onnx ${Math.exp(v - m) / z} vs engine ${probs[r * k + j]}`));
    }
    console.log(`# ${c.name}: max |onnx − engine| logit ${maxDiff.toExponential(2)} over ${texts.length} texts of ≤ ${batch.seqLen} tokens`);
  });
}

test('every ModernBERT weight matrix is an initializer feeding a MatMul (what the int8 pass rewrites), and nothing else is', async () => {
  for (const name of ['modernbert-tiny-random', 'modernbert-tiny-random-mean']) {
    const { cfg, store } = await loadModernBertModel(join(fixtures, name), labels.length);
    const { graph } = buildModernBertOnnx(cfg, store);
    const matrices = store.specs.filter((s) => s.shape.length === 2 && s.name !== 'embeddings.tok_embeddings.weight').map((s) => s.name).sort();
    assert.equal(matrices.length, 4 * cfg.numLayers + 2);
    const matMulWeights = graph.nodes.filter((n) => n.opType === 'MatMul').map((n) => n.inputs[1]!);
    const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
    assert.deepEqual(matMulWeights.filter((w) => initializers.has(w)).sort(), matrices, `${name}: MatMuls with an initializer weight`);
    // Rotary tables and masks are computed in the graph: no constant grows with the sequence length.
    const floats = graph.initializers.filter((t) => !store.has(t.name) && t.data instanceof Float32Array);
    assert.ok(floats.every((t) => t.dims.length <= 1 && (t.dims[0] ?? 1) <= cfg.hiddenSize / cfg.numHeads), floats.map((t) => `${t.name} [${t.dims}]`).join(', '));
  }
});
