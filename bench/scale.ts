// bench:scale — training throughput at realistic model sizes, ours against the PyTorch reference
// (../shared/reference/torch_bert.py) side by side in one run, the approach of ../shared/reference/scale_bench.py:
// for each shape a random-weight BERT folder (cached in the temp folder), the first n emotion lines, 1 epoch,
// batch 32, lr 5e-4, max_length 128; the reference first, then `classifier-workbench train --json`.
// Prints per size: samples/s of each and their ratio, peak RSS of each (from /usr/bin/time), and the useful
// GFLOP/s each reaches against the machine's measured matMul peak (PyTorch sgemm and ONNX Runtime MLAS).
// Usage: npm run bench:scale [-- tiny:2048 mini:1024 minilm:512 distil:256 base:128] [-- --mode lora] [-- --workers N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { enableNativeMatMul, selectBackend } from '../src/engine';
import { fixture, python, sizes } from './scaleModels';

const root = join(__dirname, '..');
const shared = join(root, '..', 'shared');
const reference = join(shared, 'reference', 'torch_bert.py');
const tinyModel = join(shared, 'models', 'bert-tiny-random');
const defaults = ['tiny:2048', 'mini:1024', 'minilm:512', 'distil:256', 'base:128'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const mode = arg('mode') ?? 'full';
const workers = arg('workers');
const specs = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));

for (const need of [reference, tinyModel, '/usr/bin/time']) {
  if (!existsSync(need)) throw new Error(`bench:scale needs ${need} (../shared from the project, and GNU time: apt-get install -y time)`);
}

/** train/validation/test.jsonl with the first n, 64 and 64 emotion lines. */
function data(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-scale-data-'));
  for (const [split, k] of [['train', n], ['validation', 64], ['test', 64]] as const) {
    const lines = readFileSync(join(shared, 'data', 'emotion', `${split}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).slice(0, k);
    writeFileSync(join(dir, `${split}.jsonl`), `${lines.join('\n')}\n`);
  }
  return dir;
}

/** Runs a command under GNU time; returns stdout and the peak RSS in bytes. */
function timed(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null; peakBytes: number; wallSeconds: number } {
  const start = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', cmd, ...args], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 28 });
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, peakBytes: kb * 1024, wallSeconds: (Date.now() - start) / 1000 };
}

/** The machine's matMul peak, GFLOP/s, on a BERT-base feed-forward product (4096·768·3072), both cores. */
function torchPeak(): number {
  const code = 'import torch,time\ntorch.set_num_threads(%d)\na=torch.randn(4096,768);b=torch.randn(768,3072)\nfor _ in range(3): a@b\nt=time.perf_counter()\nfor _ in range(10): a@b\nprint(2*4096*768*3072*10/(time.perf_counter()-t)/1e9)';
  const r = spawnSync(python, ['-c', code.replace('%d', String(cpus().length))], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

async function ortPeak(): Promise<number> {
  await selectBackend('wasm');
  if (enableNativeMatMul(cpus().length) !== undefined) return NaN;
  const a = tf.randomUniform([4096, 768]);
  const b = tf.randomUniform([768, 3072]);
  for (let i = 0; i < 3; i++) tf.tidy(() => tf.matMul(a, b).dataSync());
  const t = performance.now();
  for (let i = 0; i < 10; i++) tf.tidy(() => { tf.matMul(a, b); });
  return (2 * 4096 * 768 * 3072 * 10) / ((performance.now() - t) / 1000) / 1e9;
}

/** Useful training FLOPs per token: 6 × dense parameters (forward + two backward products) + attention. */
function flopsPerToken(size: string, meanTokens: number): number {
  const [layers, h, , inter] = sizes[size];
  const dense = layers * (4 * h * h + 2 * h * inter);
  return 6 * dense + 12 * layers * h * meanTokens;
}

interface Row { size: string; n: number; torchSps: number; oursSps: number; torchRss: number; oursRss: number; torchGflops: number; oursGflops: number; note?: string }

async function main(): Promise<void> {
  const peakTorch = torchPeak();
  const peakOrt = await ortPeak();
  const peak = Math.max(peakTorch, Number.isFinite(peakOrt) ? peakOrt : 0);
  console.log(`bench:scale (${mode}, batch 32, 1 epoch, max_length 128), ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`machine matMul peak [4096×768]·[768×3072]: PyTorch sgemm ${peakTorch.toFixed(0)} GFLOP/s, ONNX Runtime MLAS ${peakOrt.toFixed(0)} GFLOP/s (both cores)`);
  const rows: Row[] = [];
  for (const spec of specs.length ? specs : defaults) {
    const [size, k] = spec.split(':');
    if (!sizes[size]) throw new Error(`unknown size ${size}: use ${Object.keys(sizes).join(', ')}`);
    const n = Number(k ?? 512);
    const model = fixture(size);
    const dir = data(n);
    const runs = mkdtempSync(join(tmpdir(), 'cw-scale-runs-'));
    try {
      const t = timed(python, [reference, 'train', '--model', model, '--data', dir, '--epochs', '1', '--batch', '32', '--lr', '5e-4', '--threads', String(cpus().length)]);
      const result = t.stdout.split('\n').filter((l) => l.includes('"result"')).map((l) => JSON.parse(l) as { train_samples_per_s: number; train_tokens_per_s: number })[0];
      const args = ['bin/classifier-workbench.js', 'train', join(dir, 'train.jsonl'), '--model', model, '--mode', mode, '--epochs', '1', '--batch', '32', '--lr', '5e-4', '--patience', '0', '--runs-dir', runs, '--json'];
      if (workers) args.push('--workers', workers);
      const o = timed(process.execPath, args);
      let oursSps = NaN;
      // The last progress event's rate (as scale_bench.py reads it).
      for (const m of o.stdout.matchAll(/"samplesPerSecond":([\d.e+-]+)/g)) oursSps = Number(m[1]);
      const meanTokens = result ? result.train_tokens_per_s / result.train_samples_per_s : NaN;
      const perSample = flopsPerToken(size, meanTokens) * meanTokens;
      const row: Row = {
        size, n, torchSps: result?.train_samples_per_s ?? NaN, oursSps, torchRss: t.peakBytes, oursRss: o.peakBytes,
        torchGflops: (result?.train_samples_per_s ?? NaN) * perSample / 1e9, oursGflops: oursSps * perSample / 1e9,
        note: o.status !== 0 ? `ours failed (exit ${o.status}): ${(o.stdout + o.stderr).trim().split('\n').slice(-2).join(' ')}` : !result ? `reference failed: ${t.stderr.trim().split('\n').slice(-1)}` : undefined,
      };
      rows.push(row);
      const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;
      console.log(`${size.padEnd(6)} ${sizes[size].join('×')} n=${n}: ours ${row.oursSps.toFixed(1)} samples/s, torch ${row.torchSps.toFixed(1)}, ratio ${(row.oursSps / row.torchSps).toFixed(2)} | ` +
        `peak RSS ours ${gb(row.oursRss)}, torch ${gb(row.torchRss)} | GFLOP/s ours ${row.oursGflops.toFixed(1)} (${(100 * row.oursGflops / peak).toFixed(0)}% of peak), torch ${row.torchGflops.toFixed(1)} (${(100 * row.torchGflops / peak).toFixed(0)}%)` +
        `${row.note ? ` — ${row.note}` : ''} [wall ours ${o.wallSeconds.toFixed(0)} s, torch ${t.wallSeconds.toFixed(0)} s]`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(runs, { recursive: true, force: true });
    }
  }
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')} (figures from a loaded machine are not comparable across runs; the ratios are)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
