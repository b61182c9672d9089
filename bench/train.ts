// bench:train — the BERT engine against the PyTorch reference (../shared/reference/torch_bert.py) in one run, on
// the same data and settings (emotion, bert-tiny-random, batch 32, lr 5e-4, max_length 128, warm-up 10 %):
// training samples/s of each and their ratio, test accuracy of each (must be within 1.0 point), peak RSS, and
// inference samples/s (ours vs the reference's eval, and vs ONNX Runtime through @huggingface/transformers on our
// ONNX export of the trained model).
// Usage: npm run bench:train [-- --quick] [-- --epochs N] [-- --limit N] [-- --workers N] [-- --no-torch]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBertClassifier, type Example } from '../src/engine';
import type { TrainConfig } from '../src/protocol/train';
import { onnxTextClassifier } from './onnxReference';

const root = join(__dirname, '..');
const shared = join(root, '..', 'shared');
const modelDir = join(shared, 'models', 'bert-tiny-random');
const dataDir = join(shared, 'data', 'emotion');
const python = '/usr/bin/python3';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const epochs = Number(arg('epochs') ?? (quick ? 1 : 3));
const limit = Number(arg('limit') ?? (quick ? 2000 : 0));
const workers = Number(arg('workers') ?? 0);
const runTorch = !process.argv.includes('--no-torch');

function readSplit(name: string): Example[] {
  const file = join(dataDir, `${name}.jsonl`);
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const o = JSON.parse(l) as { text: string; label: string | number };
    return { text: o.text, label: String(o.label), file, line: i + 1 };
  });
}

function accuracy(probs: Float32Array, examples: readonly Example[], labels: readonly string[]): number {
  const k = labels.length;
  let ok = 0;
  examples.forEach((e, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
    if (labels[best] === e.label) ok++;
  });
  return ok / examples.length;
}

interface TorchResult { test_accuracy: number; train_samples_per_s: number; eval_samples_per_s: number }

function runReference(): TorchResult | undefined {
  if (!runTorch) return undefined;
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    console.log('reference: skipped (needs `apt-get install -y python3-torch libopenblas0-pthread`)');
    return undefined;
  }
  const args = [join(shared, 'reference', 'torch_bert.py'), 'train', '--model', modelDir, '--data', dataDir, '--epochs', String(epochs), '--batch', '32', '--lr', '5e-4', '--threads', String(cpus().length)];
  if (limit) args.push('--limit', String(limit));
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`torch_bert.py failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string } & TorchResult);
  return lines.find((l) => l.event === 'result');
}

/**
 * Inference samples/s of the exported ONNX model through @huggingface/transformers (ONNX Runtime), on the same
 * texts in the same length-sorted batches of 64 that the engine uses; also its accuracy (must equal ours).
 */
async function runOnnx(folder: string, texts: string[], test: readonly Example[]): Promise<{ sps: number; accuracy: number } | string> {
  const classify = await onnxTextClassifier(folder);
  if (typeof classify === 'string') return classify;
  const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const predicted: string[] = new Array(texts.length);
  const t0 = performance.now();
  for (let i = 0; i < order.length; i += 64) {
    const chunk = order.slice(i, i + 64);
    const out = await classify(chunk.map((j) => texts[j]));
    chunk.forEach((j, r) => (predicted[j] = out[r].label));
  }
  const sps = texts.length / ((performance.now() - t0) / 1000);
  return { sps, accuracy: predicted.filter((l, i) => l === test[i].label).length / test.length };
}

async function runEngine(): Promise<{ trainSps: number; inferSps: number; accuracy: number; baseline: number; backend: string; note?: string; onnx: { sps: number; accuracy: number } | string }> {
  let train = readSplit('train');
  if (limit) train = train.slice(0, limit);
  const test = readSplit('test');
  const labels = [...new Set(readSplit('train').map((e) => e.label))].sort();
  const config: TrainConfig = {
    dataset: join(dataDir, 'train.jsonl'), model: modelDir, mode: 'full', epochs, batchSize: 32, learningRate: 5e-4, weightDecay: 0.01,
    warmupRatio: 0.1, maxLength: 128, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 42, validationSplit: 0.1,
    backend: 'auto', workers,
  };
  const c = await createBertClassifier(config, labels);
  const texts = test.map((e) => e.text);
  const baseline = accuracy(await c.predictProbs(texts), test, labels);
  const { stepsPerEpoch } = await c.beginTraining(train, { epochs, seed: config.seed });
  let seen = 0;
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) {
    const te = performance.now();
    let loss = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const r = await c.trainStep(e, s);
      seen += r.samples;
      loss += r.loss;
    }
    console.log(`engine epoch ${e + 1}: train loss ${(loss / stepsPerEpoch).toFixed(4)}, ${((train.length) / ((performance.now() - te) / 1000)).toFixed(0)} samples/s`);
  }
  const trainSps = seen / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  const probs = await c.predictProbs(texts);
  const inferSps = texts.length / ((performance.now() - t1) / 1000);
  const d = c.describe();
  const exported = join(mkdtempSync(join(tmpdir(), 'bench-train-')), 'model');
  await c.exportModel(exported);
  await c.exportOnnx(exported);
  c.dispose();
  const onnx = await runOnnx(exported, texts, test);
  return { trainSps, inferSps, accuracy: accuracy(probs, test, labels), baseline, backend: d.backend, note: d.backendNote, onnx };
}

/**
 * Feature-extraction mode on the same data, twice: the first run encodes every distinct text once with the
 * frozen encoder, the second must take every vector from the on-disk cache.
 */
async function runFeatureExtraction(): Promise<void> {
  let train = readSplit('train');
  if (limit) train = train.slice(0, limit);
  const test = readSplit('test');
  const labels = [...new Set(readSplit('train').map((e) => e.label))].sort();
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-features-'));
  const config: TrainConfig = {
    dataset: join(dataDir, 'train.jsonl'), model: modelDir, mode: 'feature-extraction', epochs, batchSize: 32, learningRate: 1e-2, weightDecay: 0.01,
    warmupRatio: 0.1, maxLength: 128, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 42, validationSplit: 0.1, backend: 'auto', workers,
  };
  for (const run of ['first', 'second']) {
    const t0 = performance.now();
    const c = await createBertClassifier(config, labels, { cacheDir });
    const { stepsPerEpoch } = await c.beginTraining(train, { epochs, seed: 42 });
    const prepared = performance.now();
    for (let e = 0; e < epochs; e++) for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(e, s);
    const trained = performance.now();
    const acc = accuracy(await c.predictProbs(test.map((e) => e.text)), test, labels);
    const stats = c.featureCacheStats()!;
    c.dispose();
    console.log(`feature extraction, ${run} run: encoder ran on ${stats.computed} texts, ${stats.hits} vectors from the cache; setup ${((prepared - t0) / 1000).toFixed(1)} s, head training ${((trained - prepared) / 1000).toFixed(1)} s, test accuracy ${acc.toFixed(4)}`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(modelDir)) throw new Error(`missing ${modelDir}`);
  console.log(`bench:train — emotion, bert-tiny-random, ${epochs} epoch(s), batch 32, lr 5e-4${limit ? `, first ${limit} training examples` : ''}; ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`);
  const ours = await runEngine();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`engine: backend ${ours.backend}${ours.note ? ` (${ours.note})` : ''}`);
  const ref = runReference();
  const rows: [string, string, string, string][] = [['', 'engine', 'torch_bert.py', 'ratio']];
  const ratio = (a: number, b?: number): string => (b ? `${(a / b).toFixed(2)}×` : '–');
  rows.push(['train samples/s', ours.trainSps.toFixed(0), ref ? ref.train_samples_per_s.toFixed(0) : '–', ratio(ours.trainSps, ref?.train_samples_per_s)]);
  rows.push(['inference samples/s', ours.inferSps.toFixed(0), ref ? ref.eval_samples_per_s.toFixed(0) : '–', ratio(ours.inferSps, ref?.eval_samples_per_s)]);
  rows.push(['test accuracy', ours.accuracy.toFixed(4), ref ? ref.test_accuracy.toFixed(4) : '–', ref ? `${((ours.accuracy - ref.test_accuracy) * 100).toFixed(2)} pt` : '–']);
  for (const r of rows) console.log(`${r[0].padEnd(22)}${r[1].padStart(10)}${r[2].padStart(16)}${r[3].padStart(10)}`);
  console.log(`engine baseline (untrained) test accuracy ${ours.baseline.toFixed(4)}`);
  console.log(`peak RSS ${peakRssMb.toFixed(0)} MB (target ≤ 1536 MB): ${peakRssMb <= 1536 ? 'ok' : 'OVER'}`);
  if (ref) {
    const r = ours.trainSps / ref.train_samples_per_s;
    console.log(`training speed ${r.toFixed(2)}× PyTorch: ${r >= 1 ? 'goal (≥ 1.0×) met' : r >= 0.5 ? 'target (≥ 0.5×) met, goal (1.0×) not' : 'BELOW target 0.5×'}`);
    const gap = Math.abs(ours.accuracy - ref.test_accuracy) * 100;
    console.log(`accuracy gap ${gap.toFixed(2)} points: ${gap <= 1 ? 'within 1.0 point' : 'MORE than 1.0 point'}${quick ? ' (quick run: indicative only)' : ''}`);
  }
  await runFeatureExtraction();
  if (typeof ours.onnx === 'string') console.log(`ONNX Runtime: not measured (${ours.onnx})`);
  else {
    console.log(`inference vs ONNX Runtime (@huggingface/transformers, our exported onnx/model.onnx, same texts and batches): engine ${ours.inferSps.toFixed(0)} vs ${ours.onnx.sps.toFixed(0)} samples/s = ${(ours.inferSps / ours.onnx.sps).toFixed(2)}×; ONNX accuracy ${ours.onnx.accuracy.toFixed(4)} (engine ${ours.accuracy.toFixed(4)})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
