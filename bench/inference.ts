// bench:infer — inference at base size, ours against ONNX Runtime on our own ONNX export of the same model, in one
// run: a random-weight model of the chosen family and shape (bench/familyModels.ts; BERT-base by default) with a
// classifier head for the 6 emotion labels,
// exported as the CLI's `export --onnx --quantize int8` writes it (model.safetensors, onnx/model.onnx,
// onnx/model_quantized.onnx: the classifier's exportOnnx with quantize int8, the call exportRun makes) and loaded back.
// Sides, all over the same texts:
//   ours             the engine's predictor as the hover calls it (loadPredictor + predictProbs, in process: bench:hover
//                    adds the JSON-RPC round trip, ~1 ms);
//   ORT fp32 / int8  onnxruntime-node (the project's optional dependency) on onnx/model.onnx / model_quantized.onnx,
//                    batches encoded by our tokenizer (max_length 128, as the predictor), timed with the encoding;
//   transformers.js  @huggingface/transformers' text-classification pipeline (its own tokenizer) on onnx/model.onnx.
// Figures:
//   batch: samples/s over the first n emotion test lines, length-sorted batches of 64 (the engine plans its own batches
//     the same way); each batch is run by every side in turn, the order rotating, so load changes hit all alike;
//   hover: one text per call, warm (each side predicts the first 8 texts first), over the texts of at most 64 tokens,
//     sides interleaved per text: p50/p95/max ms per text. Goal for ours: p95 ≤ 25 ms;
//   size: MB (10^6 bytes) of each ONNX file; fidelity of int8 against fp32 on the batch texts: max and mean |Δ logit|,
//     the fp32 logits' mean per-row spread (max − min) for scale, and top-1 agreement; and ours against ORT fp32
//     (top-1 agreement, a check that both run the same model).
// Usage: npm run bench:infer [-- --family bert|roberta|electra|deberta|modernbert] [-- --size base] [-- --model DIR] [-- --texts 256] [-- --hover 100]
//   (--model: any model folder the engine loads, instead of a random one; its head is used when it names the emotion labels)
//   (sizes: bench/scaleModels.ts, tiny … base; e.g. `--family roberta --size tiny --texts 64 --hover 10` for a quick run)
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClassifier, loadPredictor, loadTokenizer } from '../src/engine';
import type { TrainConfig } from '../src/protocol/train';
import { onnxTextClassifier } from './onnxReference';
import { loadOnnxClassifier } from './onnxSession';
import { familyModel } from './familyModels';
import { sizes } from './scaleModels';

const shared = join(__dirname, '..', '..', 'shared');
/** The predictor's max_length for a model folder without a run (loadPredictor), used to encode ORT's batches too. */
const maxLength = 128;
const batchSize = 64;

function emotion(split: string): { text: string; label: string }[] {
  return readFileSync(join(shared, 'data', 'emotion', `${split}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; label: string });
}

function percentile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
/** One way of predicting: texts → its scores row-major `[texts × labels]` (probabilities or logits), or labels. */
interface Side {
  name: string;
  predict(texts: string[]): Promise<unknown>;
}

interface Measured {
  sps: number;
  hover: number[];
  /** What the side returned for each batch text, in `texts` order (only for sides returning a Float32Array). */
  scores?: Float32Array[];
}

/**
 * Batch samples/s and single-text latencies of every side over the same texts, interleaved: each batch (then each
 * hover text) is run by every side in turn, the order rotating by one each time.
 */
async function measure(sides: Side[], texts: string[], hoverTexts: string[]): Promise<Measured[]> {
  for (const s of sides) {
    await s.predict(texts.slice(0, 8));
    for (const t of hoverTexts.slice(0, 8)) await s.predict([t]);
  }
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  const out: Measured[] = sides.map(() => ({ sps: 0, hover: [], scores: new Array<Float32Array>(texts.length) }));
  const busy = sides.map(() => 0);
  const rotation = (k: number): number[] => sides.map((_, j) => (j + k) % sides.length);
  for (let b = 0, k = 0; b < order.length; b += batchSize, k++) {
    const rows = order.slice(b, b + batchSize);
    const batch = rows.map((j) => texts[j]!);
    for (const i of rotation(k)) {
      const t0 = performance.now();
      const r = await sides[i]!.predict(batch);
      busy[i]! += performance.now() - t0;
      if (r instanceof Float32Array) {
        const width = r.length / rows.length;
        rows.forEach((j, n) => (out[i]!.scores![j] = r.subarray(n * width, (n + 1) * width)));
      } else {
        out[i]!.scores = undefined;
      }
    }
  }
  busy.forEach((ms, i) => (out[i]!.sps = texts.length / (ms / 1000)));
  for (let h = 0; h < hoverTexts.length; h++) {
    for (const i of rotation(h)) {
      const t0 = performance.now();
      await sides[i]!.predict([hoverTexts[h]!]);
      out[i]!.hover.push(performance.now() - t0);
    }
  }
  return out;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** int8 logits against fp32 logits, row by row. */
function fidelity(fp32: Float32Array[], int8: Float32Array[]): { maxAbs: number; meanAbs: number; maxLogit: number; spread: number; top1: number } {
  let maxAbs = 0;
  let maxLogit = 0;
  let sumAbs = 0;
  let count = 0;
  let spread = 0;
  fp32.forEach((a, r) => {
    const b = int8[r]!;
    for (let i = 0; i < a.length; i++) {
      maxLogit = Math.max(maxLogit, Math.abs(a[i]!));
      const d = Math.abs(a[i]! - b[i]!);
      maxAbs = Math.max(maxAbs, d);
      sumAbs += d;
      count++;
    }
    spread += Math.max(...a) - Math.min(...a);
  });
  return { maxAbs, meanAbs: sumAbs / count, maxLogit, spread: spread / fp32.length, top1: top1Agreement(fp32, int8) };
}

function top1Agreement(a: Float32Array[], b: Float32Array[]): number {
  return a.filter((row, r) => argmax(row) === argmax(b[r]!)).length / a.length;
}

const mb = (file: string): number => statSync(file).size / 1e6;

/** config.json's `initializer_range` of a model folder (what its random weights were drawn with), or '?'. */
function initializerRange(folder: string): string {
  const range = (JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { initializer_range?: unknown }).initializer_range;
  return typeof range === 'number' ? `${range}` : '?';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      family: { type: 'string', default: 'bert' }, size: { type: 'string', default: 'base' }, model: { type: 'string' },
      texts: { type: 'string', default: '256' }, hover: { type: 'string', default: '100' },
    },
  });
  const family = values.family!;
  const size = values.size!;
  // --model: a folder of the user's (a fine-tuned checkpoint, real pretrained weights), whose int8 fidelity is the
  // figure that matters; random weights only bound it.
  const model = values.model ? resolve(values.model) : familyModel(family, size);
  const shape = values.model ? `${model} (` : `${family} ${size} (${sizes[size]!.slice(0, 3).join('×')} layers×hidden×heads, random weights, `;
  const labels = [...new Set(emotion('train').map((e) => e.label))].sort();
  const test = emotion('test').map((e) => e.text);
  const texts = test.slice(0, Number(values.texts));
  const tokenizer = await loadTokenizer(model);
  const hoverTexts = test.filter((t) => tokenizer.encode(t, 512).length <= 64).slice(0, Number(values.hover));
  console.log(`bench:infer ${shape}${labels.length} labels), ${texts.length} texts batched, ${hoverTexts.length} hover texts (≤ 64 tokens), ` +
    `${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  // Our export of the model with a (randomly initialised) head: what a user's fine-tuned model looks like on disk.
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-infer-'));
  const folder = join(dir, 'model');
  const disposers: (() => unknown)[] = [];
  try {
    const config: TrainConfig = {
      dataset: join(shared, 'data', 'emotion', 'train.jsonl'), model, mode: 'full', epochs: 1, batchSize: 32, learningRate: 5e-5, weightDecay: 0.01,
      warmupRatio: 0, maxLength, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 42, validationSplit: 0, backend: 'auto', workers: 0,
    };
    const c = await createClassifier(config, labels, { purpose: 'predict' });
    if (!c.exportOnnx) throw new Error(`${c.describe().kind} has no ONNX export`);
    await c.exportModel(folder);
    const t0 = performance.now();
    const [fp32File, int8File] = await c.exportOnnx(folder, { quantize: 'int8' });
    const exportSeconds = (performance.now() - t0) / 1000;
    c.dispose();

    const sides: Side[] = [];
    const notRun: string[] = [];
    const predictor = await loadPredictor(folder);
    disposers.push(() => predictor.dispose());
    sides.push({ name: 'ours', predict: (t) => predictor.predictProbs(t) });
    for (const [name, file] of [['ORT fp32', fp32File!], ['ORT int8', int8File!]] as const) {
      const session = await loadOnnxClassifier(file);
      if (typeof session === 'string') {
        notRun.push(`${name}: ${session}`);
        continue;
      }
      disposers.push(() => session.dispose());
      sides.push({ name, predict: (t) => session.logits(tokenizer.encodeBatch(t, { maxLength })) });
    }
    // transformers.js reads only tokenizer.json (every export writes one); a folder it cannot load skips this side
    // with the reason, the others still run.
    const classify = await onnxTextClassifier(folder).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    if (typeof classify === 'string') notRun.push(`transformers.js: ${classify}`);
    else sides.push({ name: 'transformers.js fp32', predict: classify });

    const results = await measure(sides, texts, hoverTexts);
    const of = (name: string): Measured | undefined => results[sides.findIndex((s) => s.name === name)];

    const width = 22;
    const cell = (x: number | undefined, digits = 1): string => (x === undefined ? '–' : x.toFixed(digits)).padStart(width);
    console.log(`${''.padEnd(30)}${sides.map((s) => s.name.padStart(width)).join('')}`);
    const line = (label: string, f: (m: Measured) => number | undefined, digits = 1): void =>
      console.log(`${label.padEnd(30)}${results.map((m) => cell(f(m), digits)).join('')}`);
    line('batch inference, samples/s', (m) => m.sps);
    line(`ms per batch of ${batchSize}`, (m) => (1000 * batchSize) / m.sps, 0);
    for (const p of [50, 95]) line(`hover p${p} ms (1 text, warm)`, (m) => percentile(m.hover, p));
    line('hover max ms', (m) => Math.max(...m.hover));
    const fileOf = new Map(sides.map((s, i) => [results[i]!, s.name === 'ORT int8' ? int8File : s.name === 'ours' ? undefined : fp32File]));
    line('ONNX file, MB', (m) => { const f = fileOf.get(m); return f === undefined ? undefined : mb(f); });

    const ours = of('ours')!;
    const fp32 = of('ORT fp32');
    const int8 = of('ORT int8');
    console.log(`export --onnx --quantize int8 wrote both files in ${exportSeconds.toFixed(1)} s; model.safetensors ${mb(join(folder, 'model.safetensors')).toFixed(1)} MB`);
    if (fp32) console.log(`ours / ORT fp32 speed: batch ${(ours.sps / fp32.sps).toFixed(2)}×, hover p50 ${(percentile(fp32.hover, 50) / percentile(ours.hover, 50)).toFixed(2)}×`);
    if (fp32 && int8) {
      console.log(`int8 / fp32 (ORT): speed batch ${(int8.sps / fp32.sps).toFixed(2)}×, hover p50 ${(percentile(fp32.hover, 50) / percentile(int8.hover, 50)).toFixed(2)}×; ` +
        `size ${(mb(int8File!) / mb(fp32File!)).toFixed(2)}×`);
      const f = fidelity(fp32.scores!, int8.scores!);
      console.log(`int8 fidelity on the ${texts.length} batch texts: max |Δ logit| ${f.maxAbs.toFixed(4)} (${(100 * f.maxAbs / f.maxLogit).toFixed(1)} % of max |logit|, ` +
        `the tests' measure: ≤ 5 % on tiny trained models), mean ${f.meanAbs.toFixed(4)} ` +
        `(fp32 logits span ${f.spread.toFixed(3)} per text on average, max − min), top-1 agreement ${(100 * f.top1).toFixed(1)} %` +
        (values.model ? '' : ` (random weights drawn with std ${initializerRange(model)}: int8's error grows with the weights' scale, and trained encoders sit near 0.02)`));
      console.log(`ours vs ORT fp32 top-1 agreement ${(100 * top1Agreement(ours.scores!, fp32.scores!)).toFixed(1)} % (same model: should be 100 %)`);
    }
    console.log(`hover goal p95 ≤ 25 ms: ${percentile(ours.hover, 95) <= 25 ? 'met' : 'NOT met'} (ours ${percentile(ours.hover, 95).toFixed(1)} ms)`);
    for (const why of notRun) console.log(`not run: ${why}`);
    console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')} (figures from a loaded machine are not comparable across runs; the ratios are)`);
  } finally {
    for (const d of disposers.reverse()) await d();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
