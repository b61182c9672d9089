// Training parity of the RoBERTa and ELECTRA classifiers with the PyTorch reference (test/reference/
// torch_encoders.py): from the same initial weights (the engine's own export before step 1) and the same batches,
// 20 steps of full fine-tuning give losses within 1e-3 relative; the folder exported after training loads back
// into the reference with the same logits; LoRA merged on export predicts what the adapters predicted.
// Dropout is set to 0 in the copied configs so both sides compute the same function. Needs /usr/bin/python3 with
// torch and ../shared/data (test/helpers/requirements.ts: a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, python, pythonModule, shared, sharedDir } from '../../../helpers/requirements';
import { createBertClassifier } from '../../../../src/engine/models/bert/bertClassifier';
import { loadBertPredictor } from '../../../../src/engine/models/bert/loadBertPredictor';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { loadBertModel } from '../../../../src/engine/models/bert/loadBertModel';
import { BertCompute } from '../../../../src/engine/models/bert/bertCompute';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { lossCoefficients, singleLabelObjective } from '../../../../src/engine/models/nn/classificationObjective';
import { planEpochBatches } from '../../../../src/engine/models/nn/batchPlan';
import type { Example } from '../../../../src/engine/data/example';
import type { TrainConfig } from '../../../../src/protocol/train';

const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'families');
const references = join(__dirname, '..', '..', '..', 'reference');

/** Each family's fixture folder (`<family>-tiny-random`), reference script, exported class and what peft's LoRA trains besides the adapters. */
const families = [
  { family: 'roberta', reference: 'torch_encoders.py', architecture: 'RobertaForSequenceClassification', modelType: 'roberta', loraHead: ['pooler.dense.weight', 'classifier.weight'] },
  { family: 'electra', reference: 'torch_encoders.py', architecture: 'ElectraForSequenceClassification', modelType: 'electra', loraHead: ['pooler.dense.weight', 'classifier.weight'] },
  // DebertaV2ForSequenceClassification's `classifier` is the linear layer alone; its ContextPooler stays frozen.
  { family: 'deberta-v3', reference: 'torch_deberta.py', architecture: 'DebertaV2ForSequenceClassification', modelType: 'deberta-v2', loraHead: ['classifier.weight'] },
  // The v2 layout: own position projections, absolute positions, token types.
  { family: 'deberta-v2', reference: 'torch_deberta.py', architecture: 'DebertaV2ForSequenceClassification', modelType: 'deberta-v2', loraHead: ['classifier.weight'] },
];
const referenceOf = (family: string): string => join(references, families.find((f) => f.family === family)!.reference);
const labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
const requirements = needs(pythonModule('torch'), shared('data/emotion'));

function referenceRun(family: string, args: string[], input: unknown): unknown {
  const r = spawnSync(python, [referenceOf(family), ...args], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `the PyTorch reference failed (CI installs python3-torch): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The fixture with dropout off, in a temp folder. */
function withoutDropout(family: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${family}-nodrop-`));
  cpSync(join(fixtures, `${family}-tiny-random`), dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  Object.assign(cfg, { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, classifier_dropout: 0 });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg, null, 2));
  return dir;
}

function emotionExamples(n: number, offset = 0): Example[] {
  const lines = readFileSync(join(sharedDir, 'data', 'emotion', 'train.jsonl'), 'utf8').trim().split('\n').slice(offset, offset + n);
  return lines.map((l, i) => ({ ...(JSON.parse(l) as { text: string; label: string }), file: 'train.jsonl', line: offset + i + 1 }));
}

function config(dir: string, patch: Partial<TrainConfig> = {}): TrainConfig {
  return {
    dataset: join(dir, 'train.jsonl'), model: dir, mode: 'full', epochs: 1, batchSize: 8, learningRate: 2e-3, weightDecay: 0.01,
    warmupRatio: 0.1, maxLength: 48, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 11, validationSplit: 0.1,
    backend: 'wasm', workers: 1, ...patch,
  };
}

function assertClose(ours: ArrayLike<number>, theirs: number[][], k: number, what: string): void {
  theirs.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(ours[i * k + j] - v) <= 1e-4, `${what} text ${i} logit ${j}: engine ${ours[i * k + j]} vs torch ${v}`)));
}

for (const { family, architecture, modelType, loraHead } of families) {
  test(`${family}: 20 full fine-tuning steps match the reference's losses (1e-3 relative), and the export loads in the reference`, requirements, async () => {
    const dir = withoutDropout(family);
    const train = emotionExamples(160);
    const cfg = config(dir);
    const c = await createBertClassifier(cfg, labels);
    const initial = mkdtempSync(join(tmpdir(), `${family}-initial-`));
    await c.exportModel(initial);
    const { stepsPerEpoch } = await c.beginTraining(train, { epochs: 1, seed: cfg.seed });
    assert.equal(stepsPerEpoch, 20);
    const losses: number[] = [];
    for (let s = 0; s < stepsPerEpoch; s++) losses.push((await c.trainStep(0, s)).loss);

    // The same batches, rebuilt from the engine's deterministic plan over the same token ids.
    const tokenizer = await loadTokenizer(dir);
    const ids = train.map((e) => tokenizer.encode(e.text, cfg.maxLength));
    const plan = planEpochBatches(ids.map((r) => r.length), cfg.batchSize, cfg.seed, 0);
    const job = {
      batches: plan.map((b) => b.map((i) => ids[i])), labels: plan.map((b) => b.map((i) => labels.indexOf(train[i].label))),
      lr: cfg.learningRate, weight_decay: cfg.weightDecay, warmup: Math.floor(cfg.warmupRatio * 20), total: 20, max_grad_norm: cfg.maxGradNorm,
    };
    const theirs = (referenceRun(family, ['train', initial], job) as { losses: number[] }).losses;
    assert.equal(theirs.length, 20);
    losses.forEach((l, i) => assert.ok(Math.abs(l - theirs[i]) <= 1e-3 * Math.abs(theirs[i]), `step ${i + 1}: engine loss ${l} vs torch ${theirs[i]}`));
    assert.ok(losses[19] < losses[0], `the loss fell (${losses[0]} → ${losses[19]})`);

    const out = mkdtempSync(join(tmpdir(), `${family}-export-`));
    await c.exportModel(out);
    c.dispose();
    const exported = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.deepEqual(exported.architectures, [architecture]);
    assert.equal(exported.model_type, modelType);
    assert.deepEqual(exported.id2label, Object.fromEntries(labels.map((l, i) => [String(i), l])));
    const texts = emotionExamples(12, 500).map((e) => e.text);
    const predictor = await loadBertPredictor(out, { backend: 'wasm', maxLength: 48 });
    const ours = await predictor.predictLogits(texts);
    predictor.dispose();
    assertClose(ours, referenceRun(family, ['logits', out, '--max-length', '48'], texts) as number[][], labels.length, 'exported');
  });

  test(`${family}: LoRA trains only adapters and the classification head, and merging on export keeps the predictions`, requirements, async () => {
    const dir = join(fixtures, `${family}-tiny-random`);
    const cfg = config(dir, { mode: 'lora', learningRate: 1e-2, lora: { rank: 4, alpha: 8, dropout: 0.1, targets: ['query', 'value'] } });
    const c = await createBertClassifier(cfg, labels);
    const before = c.parameters().data.slice();
    await c.beginTraining(emotionExamples(48), { epochs: 1, seed: cfg.seed });
    for (let s = 0; s < 6; s++) await c.trainStep(0, s);
    const { specs, data } = c.parameters();
    const changed = specs.filter((s) => data.subarray(s.offset, s.offset + s.size).some((v, i) => v !== before[s.offset + i])).map((s) => s.name);
    // The HF classifier module (RoBERTa/ELECTRA: both layers, internal pooler.dense = HF classifier.dense) and the adapters.
    assert.ok(loraHead.every((n) => changed.includes(n)), changed.join(', '));
    assert.deepEqual(changed.filter((n) => !n.includes('lora_') && !loraHead.some((h) => n.startsWith(h.replace(/weight$/, '')))), [], 'only the adapters and the classifier module train');
    assert.ok(changed.some((n) => n.endsWith('lora_B')), 'the adapters trained');
    const texts = emotionExamples(10, 700).map((e) => e.text);
    const adapter = await c.predictProbs(texts);
    const out = mkdtempSync(join(tmpdir(), `${family}-lora-export-`));
    await c.exportModel(out);
    c.dispose();
    const predictor = await loadBertPredictor(out, { backend: 'wasm', maxLength: 48 });
    const merged = await predictor.predictProbs(texts);
    const mergedLogits = await predictor.predictLogits(texts);
    predictor.dispose();
    merged.forEach((p, i) => assert.ok(Math.abs(p - adapter[i]) < 1e-5, `prob ${i}: merged ${p} vs adapters ${adapter[i]}`));
    assertClose(mergedLogits, referenceRun(family, ['logits', out, '--max-length', '48'], texts) as number[][], labels.length, 'merged LoRA export');
  });
}

for (const family of ['roberta', 'electra', 'deberta-v3', 'deberta-v2']) {
  test(`${family}: layer-wise gradients (the low-memory path), with and without kept products, equal the whole-graph gradients; packed tokens equal padded rows`, async () => {
    await selectBackend('wasm');
    const model = await loadBertModel(withoutDropout(family), labels.length, { requireHead: true });
    const trainable = new Set(model.store.specs.map((s) => s.name));
    const ids = [[0, 5, 9, 12, 2], [0, 7, 2]].map((r) => r.map((t) => Math.min(t, model.cfg.vocabSize - 1)));
    const seqLen = 5;
    const batch = { inputIds: new Int32Array(2 * seqLen).fill(model.cfg.padTokenId), attentionMask: new Int32Array(2 * seqLen), batchSize: 2, seqLen };
    ids.forEach((r, b) => { batch.inputIds.set(r, b * seqLen); batch.attentionMask.fill(1, b * seqLen, b * seqLen + r.length); });
    // Rows labelled 1 and 4, mean cross-entropy.
    const targets = new Float32Array(2 * labels.length);
    targets[1] = 1;
    targets[labels.length + 4] = 1;
    const { a, b } = lossCoefficients(targets, labels.length, singleLabelObjective, 0.5);
    const run = (layerwise: boolean, keptProductTokens = 0, packTokens = true) => {
      const compute = new BertCompute(model.cfg, model.store, { trainable, layerwise, keptProductTokens, packTokens });
      const grads = new Float32Array(model.store.size);
      const { loss, dEmb } = compute.lossAndGrads(batch, { lossA: a, lossB: b }, 3, grads);
      compute.dispose();
      return { loss, dEmb: dEmb!, grads };
    };
    const whole = run(false);
    const layered = run(true);
    // The same with the dense products kept from the first pass (DeBERTa: the shared key projection is used twice
    // per layer, ELECTRA: the embedding projection): exactly the recomputed numbers.
    const kept = run(true, batch.batchSize * batch.seqLen);
    assert.deepEqual(kept.grads, layered.grads);
    assert.deepEqual(kept.dEmb, layered.dEmb);
    // Per-token work on the 8 real tokens of the 10 padded rows (nn/rowPacking.ts) against all 10 rows: the same
    // loss and gradients up to float rounding, the padding rows' embedding gradients exactly 0.
    const unpacked = run(false, 0, false);
    assert.ok(Math.abs(unpacked.loss - whole.loss) < 1e-5, `loss ${unpacked.loss} unpacked vs ${whole.loss}`);
    let packWorst = 0;
    unpacked.grads.forEach((g, i) => { packWorst = Math.max(packWorst, Math.abs(g - whole.grads[i]) / (1 + Math.abs(g))); });
    unpacked.dEmb.forEach((g, i) => { packWorst = Math.max(packWorst, Math.abs(g - whole.dEmb[i]) / (1 + Math.abs(g))); });
    assert.ok(packWorst < 1e-4, `packed vs unpacked: largest gradient difference ${packWorst}`);
    for (const row of [8, 9]) assert.ok(whole.dEmb.subarray(row * model.cfg.embeddingSize, (row + 1) * model.cfg.embeddingSize).every((g) => g === 0), `padding row ${row}`);
    const gathers = async (packTokens: boolean): Promise<number> =>
      (await tf.profile(() => void run(true, 0, packTokens))).kernels.filter((k) => k.name === 'ClassifierWorkbenchGatherRows').length;
    assert.ok((await gathers(true)) > 0, 'the packed path packs');
    assert.equal(await gathers(false), 0);
    assert.ok(Math.abs(whole.loss - layered.loss) < 1e-6, `loss ${whole.loss} vs ${layered.loss}`);
    const names = model.store.specs.filter((s) => layered.grads.subarray(s.offset, s.offset + s.size).some((v) => v !== 0)).map((s) => s.name);
    if (family === 'electra') assert.ok(names.includes('embeddings_project.weight'), 'the projection gets a gradient');
    // Shared by every layer: each layer's recomputed pass must add its part of the gradient.
    if (family.startsWith('deberta')) assert.ok(names.includes('encoder.rel_embeddings.weight') && names.includes('encoder.LayerNorm.weight'), 'the relative table gets a gradient');
    if (family === 'deberta-v2') assert.ok(names.includes('encoder.layer.0.attention.self.pos_key_proj.weight') && names.includes('encoder.layer.1.attention.self.pos_query_proj.weight'), 'own position projections get gradients');
    let worst = 0;
    whole.grads.forEach((g, i) => { worst = Math.max(worst, Math.abs(g - layered.grads[i])); });
    whole.dEmb.forEach((g, i) => { worst = Math.max(worst, Math.abs(g - layered.dEmb[i])); });
    assert.ok(worst < 1e-5, `largest gradient difference ${worst}`);
  });
}
