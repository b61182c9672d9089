// bench:infer — inference at base size, ours against ONNX Runtime (@huggingface/transformers on our own ONNX
// export of the same model) in one run: a random-weight BERT of the chosen shape (bench/scaleModels.ts) with a
// classifier head for the 6 emotion labels, exported (model.safetensors + onnx/model.onnx) and loaded back by both.
//   batch: samples/s over the first n emotion test lines, length-sorted batches of 64 for both (the engine plans its
//     own batches the same way);
//   hover: one text per call, warm (each side predicts the first 8 texts first), over the texts of at most 64 tokens:
//     p50/p95/max ms per text. Our figure is the engine's predictor as the hover calls it (loadPredictor +
//     predictProbs, in process: bench:hover adds the JSON-RPC round trip, ~1 ms). Goal: p95 ≤ 25 ms.
// Usage: npm run bench:infer [-- --size base] [-- --texts 256] [-- --hover 100]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBertClassifier, loadPredictor, loadTokenizer } from '../src/engine';
import type { TrainConfig } from '../src/protocol/train';
import { onnxTextClassifier } from './onnxReference';
import { fixture, sizes } from './scaleModels';

const shared = join(__dirname, '..', '..', 'shared');

function emotion(split: string): { text: string; label: string }[] {
  return readFileSync(join(shared, 'data', 'emotion', `${split}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; label: string });
}

function percentile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Batch samples/s and single-text latencies of one predictor over the same texts. */
async function measure(predict: (texts: string[]) => Promise<unknown>, texts: string[], hoverTexts: string[]): Promise<{ sps: number; hover: number[] }> {
  await predict(texts.slice(0, 8));
  for (const t of hoverTexts.slice(0, 8)) await predict([t]);
  const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const t0 = performance.now();
  for (let i = 0; i < order.length; i += 64) await predict(order.slice(i, i + 64).map((j) => texts[j]));
  const sps = texts.length / ((performance.now() - t0) / 1000);
  const hover: number[] = [];
  for (const t of hoverTexts) {
    const s = performance.now();
    await predict([t]);
    hover.push(performance.now() - s);
  }
  return { sps, hover };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'base' }, texts: { type: 'string', default: '256' }, hover: { type: 'string', default: '100' } } });
  const size = values.size!;
  const model = fixture(size);
  const labels = [...new Set(emotion('train').map((e) => e.label))].sort();
  const test = emotion('test').map((e) => e.text);
  const texts = test.slice(0, Number(values.texts));
  const tokenizer = await loadTokenizer(model);
  const hoverTexts = test.filter((t) => tokenizer.encode(t, 512).length <= 64).slice(0, Number(values.hover));
  console.log(`bench:infer ${size} (${sizes[size].join('×')}, random weights, ${labels.length} labels), ${texts.length} texts batched, ${hoverTexts.length} hover texts (≤ 64 tokens), ` +
    `${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  // Our export of the model with a (randomly initialised) head: what a user's fine-tuned model looks like on disk.
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-infer-'));
  const folder = join(dir, 'model');
  try {
    const config: TrainConfig = {
      dataset: join(shared, 'data', 'emotion', 'train.jsonl'), model, mode: 'full', epochs: 1, batchSize: 32, learningRate: 5e-5, weightDecay: 0.01,
      warmupRatio: 0, maxLength: 128, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 42, validationSplit: 0, backend: 'auto', workers: 0,
    };
    const c = await createBertClassifier(config, labels, { purpose: 'predict' });
    await c.exportModel(folder);
    await c.exportOnnx(folder);
    c.dispose();

    const predictor = await loadPredictor(folder);
    const ours = await measure((t) => predictor.predictProbs(t), texts, hoverTexts);
    predictor.dispose();
    const classify = await onnxTextClassifier(folder);
    const ref = typeof classify === 'string' ? classify : await measure(classify, texts, hoverTexts);

    const row = (name: string, a: number, b: number | undefined, unit: string, higherIsBetter: boolean): string =>
      `${name.padEnd(26)} ours ${a.toFixed(1).padStart(8)} ${unit}   ONNX Runtime ${b === undefined ? '–' : b.toFixed(1).padStart(8)} ${unit}` +
      `${b === undefined ? '' : `   ours/ORT speed ${(higherIsBetter ? a / b : b / a).toFixed(2)}×`}`;
    const r = typeof ref === 'string' ? undefined : ref;
    console.log(row('batch inference', ours.sps, r?.sps, 'samples/s', true));
    for (const p of [50, 95]) console.log(row(`hover p${p} (1 text, warm)`, percentile(ours.hover, p), r && percentile(r.hover, p), 'ms', false));
    console.log(row('hover max', Math.max(...ours.hover), r && Math.max(...r.hover), 'ms', false));
    console.log(`hover goal p95 ≤ 25 ms: ${percentile(ours.hover, 95) <= 25 ? 'met' : 'NOT met'} (ours ${percentile(ours.hover, 95).toFixed(1)} ms)`);
    if (typeof ref === 'string') console.log(`ONNX Runtime reference not run: ${ref}`);
    console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')} (figures from a loaded machine are not comparable across runs; the ratios are)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
