// Training throughput of one encoder family at base shape (random weights), ours against that family's PyTorch
// reference in one run on the same batches: the first n emotion lines, batch size b, max_length 128, full fine-tuning,
// sorted by length and cut into batches (the engine's length-bucketed plan makes the same batches when n ≤ 50
// batches). The reference first (TORCH_THREADS = all cores, timed over its training loop, peak RSS by
// /usr/bin/time), then the engine in this process (timed over its training steps; peak RSS of this process, which
// also built the batches). Prints samples/s of each, the ratio and peak RSS. Used by bench:modernbert, bench:deberta,
// bench:roberta and bench:electra (BERT and DistilBERT: bench:scale).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClassifier, loadTokenizer, type Example } from '../src/engine';

const root = join(__dirname, '..');
const emotion = join(root, '..', 'shared', 'data', 'emotion', 'train.jsonl');
const python = '/usr/bin/python3';
/** The emotion labels (the reference's `make --labels` gives the model a head with them). */
export const benchLabels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
const labels = benchLabels;

export interface FamilyBench {
  /** The bench's name (`bench:deberta`) and the shape it runs, for the first line. */
  name: string;
  shape: string;
  /** The reference script under test/reference/: `make [family] OUT ...makeArgs` builds the model, `train DIR` times steps. */
  reference: string;
  /** The family argument of torch_encoders.py's `make` (roberta, electra); none for the one-family references. */
  family?: string;
  makeArgs: string[];
  /** Folder name under the temp folder where the model is kept between runs. */
  cacheName: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/**
 * Runs the comparison; `--n 128 --batch 32` by default (BERT-base's setting in bench:scale: four steps of two
 * shards each, the shape the goal is measured at), smaller with e.g. `--n 16 --batch 8`.
 */
export async function runFamilyTrainingBench(bench: FamilyBench): Promise<void> {
  const n = Number(arg('n', '128'));
  const batchSize = Number(arg('batch', '32'));
  if (arg('mode', 'full') !== 'full') throw new Error('the reference trains full fine-tuning only; run --mode full');
  const maxLength = 128;
  const reference = join(root, 'test', 'reference', bench.reference);
  for (const need of [emotion, '/usr/bin/time']) if (!existsSync(need)) throw new Error(`${bench.name} needs ${need} (../shared beside the project; GNU time: apt-get install -y time)`);
  const model = join(tmpdir(), bench.cacheName);
  if (!existsSync(join(model, 'model.safetensors'))) {
    const r = spawnSync(python, [reference, 'make', ...(bench.family ? [bench.family] : []), model, '--texts', emotion, ...bench.makeArgs], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`make failed: ${r.stderr}`);
  }
  const train: Example[] = readFileSync(emotion, 'utf8').split('\n').filter((l) => l.trim()).slice(0, n)
    .map((l, i) => ({ ...(JSON.parse(l) as { text: string; label: string }), file: 'train.jsonl', line: i + 1 }));
  const tokenizer = await loadTokenizer(model);
  const ids = train.map((e) => tokenizer.encode(e.text, maxLength));
  const order = ids.map((_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  const job = {
    batches: batches.map((b) => b.map((i) => ids[i])), labels: batches.map((b) => b.map((i) => labels.indexOf(train[i]!.label))),
    lr: 5e-5, weight_decay: 0.01, warmup: 0, total: batches.length, max_grad_norm: 1,
  };
  console.log(`${bench.shape}, ${n} emotion texts (${ids.reduce((s, r) => s + r.length, 0) / n} tokens on average), batch ${batchSize}, full fine-tuning; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  const t = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', python, reference, 'train', model], {
    input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TORCH_THREADS: String(cpus().length) },
  });
  if (t.status !== 0) throw new Error(`reference failed: ${t.stderr}`);
  const torch = JSON.parse(t.stdout) as { losses: number[]; seconds: number };
  const torchRss = Number(/PEAK_RSS_KB (\d+)/.exec(t.stderr)?.[1] ?? NaN) / 1024 ** 2;

  const config = {
    dataset: join(model, 'train.jsonl'), model, mode: 'full' as const, epochs: 1, batchSize, learningRate: 5e-5, weightDecay: 0.01, warmupRatio: 0, maxLength,
    gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 42, validationSplit: 0.1, backend: 'wasm' as const, workers: 1,
  };
  const c = await createClassifier(config, labels);
  const { stepsPerEpoch } = await c.beginTraining(train, { epochs: 1, seed: 42 });
  const start = performance.now();
  const losses: number[] = [];
  for (let s = 0; s < stepsPerEpoch; s++) losses.push((await c.trainStep(0, s)).loss);
  const seconds = (performance.now() - start) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024 ** 2;
  const backend = c.describe().backend;
  c.dispose();
  const ours = n / seconds;
  const theirs = n / torch.seconds;
  console.log(`PyTorch reference: ${theirs.toFixed(2)} samples/s (${torch.seconds.toFixed(1)} s), peak RSS ${torchRss.toFixed(2)} GB, first/last loss ${torch.losses[0]!.toFixed(4)}/${torch.losses.at(-1)!.toFixed(4)}`);
  console.log(`ours (${backend}): ${ours.toFixed(2)} samples/s (${seconds.toFixed(1)} s), peak RSS ${rss.toFixed(2)} GB, first/last loss ${losses[0]!.toFixed(4)}/${losses.at(-1)!.toFixed(4)}`);
  console.log(`ratio ours/PyTorch: ${(ours / theirs).toFixed(2)}× (load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
}

/** Runs `bench` as a script's main: failures print and exit non-zero. */
export function mainFamilyBench(bench: FamilyBench): void {
  runFamilyTrainingBench(bench).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
