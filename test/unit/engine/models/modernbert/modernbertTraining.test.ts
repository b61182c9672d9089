// Training parity of the ModernBERT classifier with the PyTorch reference (test/reference/torch_modernbert.py): from
// the same initial weights (the engine's own export before step 1) and the same batches, 20 steps of full
// fine-tuning give losses within 1e-3 relative; the folder exported after training loads back into the reference
// with the same logits (also for a right-padded batch); LoRA merged on export predicts what the adapters predicted
// and matches the reference. Released ModernBERT configs have every dropout at 0, as the fixtures do. Needs
// /usr/bin/python3 with torch and ../shared/data (test/helpers/requirements.ts: a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, python, pythonModule, shared, sharedDir } from '../../../../helpers/requirements';
import { createClassifier } from '../../../../../src/engine/classifier/createClassifier';
import { createModernBertClassifier, type ModernBertClassifier } from '../../../../../src/engine/models/modernbert/modernbertClassifier';
import { loadTokenizer } from '../../../../../src/engine/tokenizer/loadTokenizer';
import { planEpochBatches } from '../../../../../src/engine/models/nn/batchPlan';
import type { Example } from '../../../../../src/engine/data/example';
import type { TrainConfig } from '../../../../../src/protocol/train';

const fixtures = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families');
const reference = join(__dirname, '..', '..', '..', '..', 'reference', 'torch_modernbert.py');
const labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
const requirements = needs(pythonModule('torch'), shared('data/emotion'));

function referenceRun(args: string[], input: unknown): unknown {
  const r = spawnSync(python, [reference, ...args], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `the PyTorch reference failed (CI installs python3-torch): ${r.stderr}`);
  return JSON.parse(r.stdout);
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

/** Logits `[texts × K]` of a folder through the engine's prediction path (createClassifier, as `predict` loads a folder). */
async function engineLogits(dir: string, texts: string[]): Promise<Float32Array> {
  const c = await createClassifier(config(dir), labels, { purpose: 'predict' });
  const probs = await c.predictProbs(texts);
  c.dispose();
  // Softmax is shift-invariant: compare log-probabilities against the reference's log-softmax.
  return probs.map((p) => Math.log(p));
}

function logSoftmax(rows: number[][]): number[][] {
  return rows.map((r) => {
    const m = Math.max(...r);
    const z = Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
    return r.map((v) => v - z);
  });
}

for (const fixture of ['modernbert-tiny-random', 'modernbert-tiny-random-mean']) {
  test(`${fixture}: 20 full fine-tuning steps match the reference's losses (1e-3 relative), and the export loads in the reference`, requirements, async () => {
    const dir = join(fixtures, fixture);
    const train = emotionExamples(160);
    const cfg = config(dir);
    const c = await createModernBertClassifier(cfg, labels, dir);
    const initial = mkdtempSync(join(tmpdir(), 'modernbert-initial-'));
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
    const theirs = (referenceRun(['train', initial], job) as { losses: number[] }).losses;
    assert.equal(theirs.length, 20);
    losses.forEach((l, i) => assert.ok(Math.abs(l - theirs[i]) <= 1e-3 * Math.abs(theirs[i]), `step ${i + 1}: engine loss ${l} vs torch ${theirs[i]}`));
    assert.ok(losses[19] < losses[0], `the loss fell (${losses[0]} → ${losses[19]})`);
    // The token embeddings trained too (their gradient is scattered in JS).
    const before = await createModernBertClassifier(cfg, labels, initial);
    const table = (x: ModernBertClassifier) => { const { specs, data } = x.parameters(); const s = specs.find((p) => p.name === 'embeddings.tok_embeddings.weight')!; return data.subarray(s.offset, s.offset + s.size); };
    assert.ok(table(c).some((v, i) => v !== table(before)[i]), 'token embeddings changed');
    before.dispose();

    const out = mkdtempSync(join(tmpdir(), 'modernbert-export-'));
    await c.exportModel(out);
    c.dispose();
    const exported = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.deepEqual(exported.architectures, ['ModernBertForSequenceClassification']);
    assert.equal(exported.model_type, 'modernbert');
    assert.deepEqual(exported.id2label, Object.fromEntries(labels.map((l, i) => [String(i), l])));
    const texts = emotionExamples(12, 500).map((e) => e.text);
    const ours = await engineLogits(out, texts);
    assertClose(ours, logSoftmax(referenceRun(['logits', out, '--max-length', '48'], texts) as number[][]), labels.length, 'exported');
    // A right-padded batch in the reference gives the same logits as the texts one at a time.
    const batchIds = texts.slice(0, 4).map((t) => tokenizer.encode(t, 48));
    assertClose(ours.slice(0, 4 * labels.length), logSoftmax(referenceRun(['batch-logits', out], batchIds) as number[][]), labels.length, 'padded batch');
  });
}

test('ModernBERT LoRA adapts Wqkv and trains the classifier only, and merging on export keeps the predictions', requirements, async () => {
  const dir = join(fixtures, 'modernbert-tiny-random');
  const cfg = config(dir, { mode: 'lora', learningRate: 1e-2, lora: { rank: 4, alpha: 8, dropout: 0.1, targets: ['query', 'value'] } });
  const c = await createModernBertClassifier(cfg, labels, dir);
  const adapters = c.parameters().specs.filter((s) => s.name.includes('lora_')).map((s) => s.name);
  assert.deepEqual([...new Set(adapters.map((n) => n.replace(/^layers\.\d+\./, '')))].sort(), ['attn.Wqkv.lora_A', 'attn.Wqkv.lora_B']);
  const before = c.parameters().data.slice();
  await c.beginTraining(emotionExamples(48), { epochs: 1, seed: cfg.seed });
  for (let s = 0; s < 6; s++) await c.trainStep(0, s);
  const { specs, data } = c.parameters();
  const changed = specs.filter((s) => data.subarray(s.offset, s.offset + s.size).some((v, i) => v !== before[s.offset + i])).map((s) => s.name);
  assert.ok(changed.includes('classifier.weight') && changed.includes('classifier.bias'), changed.join(', '));
  assert.ok(changed.some((n) => n.endsWith('lora_B')), 'the adapters trained');
  assert.deepEqual(changed.filter((n) => !n.includes('lora_') && !n.startsWith('classifier.')), [], 'the encoder and the pretrained head stay frozen');
  const texts = emotionExamples(10, 700).map((e) => e.text);
  const adapted = await c.predictProbs(texts);
  const out = mkdtempSync(join(tmpdir(), 'modernbert-lora-export-'));
  await c.exportModel(out);
  c.dispose();
  const merged = await engineLogits(out, texts);
  merged.forEach((lp, i) => assert.ok(Math.abs(Math.exp(lp) - adapted[i]) < 1e-5, `prob ${i}: merged ${Math.exp(lp)} vs adapters ${adapted[i]}`));
  assertClose(merged, logSoftmax(referenceRun(['logits', out, '--max-length', '48'], texts) as number[][]), labels.length, 'merged LoRA export');
});
