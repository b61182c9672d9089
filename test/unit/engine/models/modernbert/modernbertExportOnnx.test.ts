// The ModernBERT ONNX export computes the engine's logits in ONNX Runtime: after a few training steps, on a padded
// batch of texts longer than the local window (so the sliding-window mask and both rotary bases matter), for cls
// pooling without biases (LoRA, merged on export; feature extraction) and mean pooling with every bias (full
// fine-tuning, with the tanh GELU and SiLU activations); its int8 twin (`model_quantized.onnx`) stays close.
// Independently of the engine, the graphs of the untrained fixtures give the PyTorch reference's golden logits on
// every golden row in one padded batch. Needs onnxruntime-node, an optional dependency (test/helpers/requirements.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModernBertClassifier } from '../../../../../src/engine/models/modernbert/modernbertClassifier';
import { loadModernBertModel } from '../../../../../src/engine/models/modernbert/loadModernBertModel';
import { ModernBertCompute } from '../../../../../src/engine/models/modernbert/modernbertCompute';
import { buildModernBertOnnx } from '../../../../../src/engine/models/modernbert/exportModernBertOnnx';
import type { TrainConfig } from '../../../../../src/protocol/train';
import type { Example } from '../../../../../src/engine/data/example';
import { needs, nodePackage } from '../../../../helpers/requirements';
import { onnxLogits } from '../../../../helpers/onnxRuntime';

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
  // Feature extraction: only the classifier trains (on cached head outputs), then the whole model is exported.
  { name: 'cls pooling, feature extraction', fixture: 'modernbert-tiny-random', patch: {}, train: { mode: 'feature-extraction' } },
  // 3 layers, global every 2nd (layers 0 and 2), window 6, every bias.
  { name: 'mean pooling, every bias, gelu_pytorch_tanh / silu', fixture: 'modernbert-tiny-random-mean',
    patch: { hidden_activation: 'gelu_pytorch_tanh', classifier_activation: 'silu' }, train: { mode: 'full' } },
];

/**
 * int8 tolerance: |int8 − float32| ≤ 10 % of the batch's largest |float32 logit| (BERT's tests allow 5 % for 13
 * quantised tensors). Why more here: the cls case quantises 19 tensors (4 per layer × 4 layers, head.dense, the
 * classifier and the token-embedding table) and reads one token, with no mean to average the rounding; measured
 * 5.8 % (cls) and 1.3 % (mean), of which int8 weights alone (dequantised into the float32 graph) give 3.4 % in the cls
 * case (the embedding table 1.6 %, head + classifier 1.5 %) and uint8 activations the rest. A broken pass (a wrong
 * scale or zero point, a transposed weight) is off by tens of percent or more.
 */
const INT8_RELATIVE_TOLERANCE = 0.1;

for (const c of cases) {
  test(`ModernBERT ONNX export (${c.name}) gives the engine's logits in ONNX Runtime on a padded batch; int8 stays close`, needs(nodePackage('onnxruntime-node')), async () => {
    const dir = fixtureWith(c.fixture, c.patch);
    const cfg = config(dir, c.train);
    const clf = await createModernBertClassifier(cfg, labels, dir);
    const { stepsPerEpoch } = await clf.beginTraining(examples(24, 30, 1), { epochs: 1, seed: cfg.seed });
    const before = clf.parameters().data.slice();
    for (let s = 0; s < stepsPerEpoch; s++) await clf.trainStep(0, s);
    assert.ok(clf.parameters().data.some((v, i) => v !== before[i]), 'training changed the weights');
    const out = mkdtempSync(join(tmpdir(), 'modernbert-onnx-'));
    await clf.exportModel(out);
    const files = await clf.exportOnnx(out, { quantize: 'int8' });
    assert.deepEqual(files, [join(out, 'onnx', 'model.onnx'), join(out, 'onnx', 'model_quantized.onnx')]);

    // Texts of different lengths, the longest far beyond the local window (8 or 6 tokens).
    const texts = examples(5, 40, 4).map((e) => e.text).concat(words.join(' '), 'happy');
    const probs = await clf.predictProbs(texts);
    clf.dispose();
    const model = await loadModernBertModel(out, labels.length);
    const batch = model.tokenizer.encodeBatch(texts, { maxLength: cfg.maxLength });
    assert.ok(batch.seqLen > 2 * model.cfg.localAttention, `the longest text (${batch.seqLen} tokens) spans several windows`);
    assert.ok(batch.attentionMask.includes(0), 'the batch is padded');
    const compute = new ModernBertCompute(model.cfg, model.store, { trainable: new Set() });
    const ours = compute.logits(batch);
    compute.dispose();

    const k = labels.length;
    const fp32 = await onnxLogits(files[0]!, batch);
    assert.equal(fp32.length, texts.length * k);
    let maxDiff = 0;
    for (let i = 0; i < fp32.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fp32[i]! - ours[i]!));
    assert.ok(maxDiff < 1e-4, `max |onnx − engine| logit ${maxDiff}`);
    // And the trained classifier's own predictions (LoRA adapters unmerged, its own batching) are the graph's softmax.
    for (let r = 0; r < texts.length; r++) {
      const row = Array.from(fp32.subarray(r * k, (r + 1) * k));
      const m = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
      row.forEach((v, j) => assert.ok(Math.abs(Math.exp(v - m) / z - probs[r * k + j]!) < 1e-5, `text ${r} prob ${j}: onnx ${Math.exp(v - m) / z} vs engine ${probs[r * k + j]}`));
    }

    const int8 = await onnxLogits(files[1]!, batch);
    const tolerance = INT8_RELATIVE_TOLERANCE * Math.max(...Array.from(fp32, Math.abs));
    let maxInt8 = 0;
    for (let i = 0; i < fp32.length; i++) maxInt8 = Math.max(maxInt8, Math.abs(int8[i]! - fp32[i]!));
    assert.ok(maxInt8 <= tolerance, `max |int8 − float32| logit ${maxInt8} (tolerance ${tolerance})`);
    // Quantised for real (not the float32 graph again) and smaller.
    assert.ok(maxInt8 > 1e-4 && statSync(files[1]!).size < statSync(files[0]!).size, `int8 differs from float32 (${maxInt8}) and its file is smaller`);
    console.log(`# ${c.name}: max |onnx − engine| logit ${maxDiff.toExponential(2)} over ${texts.length} texts of ≤ ${batch.seqLen} tokens; int8 max |diff| ${maxInt8.toExponential(2)} (${(100 * maxInt8 / (tolerance / INT8_RELATIVE_TOLERANCE)).toFixed(1)} % of the logit scale)`);
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

for (const [name, count] of [['modernbert-tiny-random', 128], ['modernbert-tiny-random-mean', 64]] as const) {
  test(`${name}: the ONNX graph gives the PyTorch reference's golden logits on all ${count} rows in one padded batch`, needs(nodePackage('onnxruntime-node')), async () => {
    const dir = join(fixtures, name);
    const rows = readFileSync(join(fixtures, `golden-${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { input_ids: number[]; logits: number[] });
    assert.equal(rows.length, count);
    const { cfg, store } = await loadModernBertModel(dir, labels.length, { requireHead: true });
    const spec = buildModernBertOnnx(cfg, store);
    const file = join(mkdtempSync(join(tmpdir(), 'modernbert-onnx-golden-')), 'model.onnx');
    writeFileSync(file, spec.graph.toModel(spec.inputs, spec.outputs));
    const seqLen = Math.max(...rows.map((r) => r.input_ids.length));
    const inputIds = new Int32Array(rows.length * seqLen).fill(cfg.padTokenId);
    const attentionMask = new Int32Array(rows.length * seqLen);
    rows.forEach((r, b) => { inputIds.set(r.input_ids, b * seqLen); attentionMask.fill(1, b * seqLen, b * seqLen + r.input_ids.length); });
    assert.ok(Math.min(...rows.map((r) => r.input_ids.length)) < seqLen - cfg.localAttention, 'some rows are padded by more than the window');
    const logits = await onnxLogits(file, { inputIds, attentionMask, tokenTypeIds: new Int32Array(inputIds.length), batchSize: rows.length, seqLen });
    let maxDiff = 0;
    rows.forEach((r, b) => r.logits.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(logits[b * labels.length + j]! - v)); }));
    assert.ok(maxDiff <= 1e-4, `max |onnx − torch| logit ${maxDiff}`);
    console.log(`# ${name}: max |onnx − torch golden| logit ${maxDiff.toExponential(2)} over ${count} rows of ≤ ${seqLen} tokens`);
  });
}
