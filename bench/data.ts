// Benchmark of the dataset layer (`npm run bench:data`): generates a JSONL file of at least 1 GB in a temp
// folder, inspects it with the built CLI (`classifier-workbench inspect --json`, what users run; dist/ is built
// first), and prints throughput (MB/s), peak RSS and the ratio to a plain read of the same file measured in the same
// run. Also times the `inspect` CLI on emotion/train.jsonl.
// Then writes the same rows as CSV and Parquet and inspects each the same way (MB/s of its own file, rows/s, peak
// RSS against the same memory target as JSONL).
// Options: --gb N (default 1.05), --keep (do not delete the generated file), --jsonl-only (skip CSV and Parquet).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readJsonlLines, mulberry32 } from '../src/engine';
import type { DatasetReport } from '../src/protocol/dataset';
import { writeTabularCopies } from './dataFormats';

const root = join(__dirname, '..');
const rssTargetMb = 300;

type ChildKind = 'read' | 'parse' | 'convert';

interface ChildResult {
  ms: number;
  maxRssMb: number;
  lines: number;
  examples?: number;
  labels?: number;
  duplicateTexts?: number;
  conflictingTexts?: number;
  problems?: Record<string, number>;
}

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) {
    await runChild(process.argv[childIndex + 1] as ChildKind, process.argv[childIndex + 2]);
    return;
  }
  // Inspect runs the built CLI: through tsx, loading the engine's ~300 TypeScript modules alone took ~170 MB of RSS
  // (the bundle: ~70 MB), which hid the readers' own memory under the loader's.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const gbIndex = process.argv.indexOf('--gb');
  const targetBytes = Math.ceil((gbIndex >= 0 ? Number(process.argv[gbIndex + 1]) : 1.05) * 1024 ** 3);
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-data-'));
  const cleanup = (): void => {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const file = join(dir, 'big.jsonl');
    const t0 = performance.now();
    const generated = await generate(file, targetBytes);
    const genS = (performance.now() - t0) / 1000;
    const bytes = statSync(file).size;
    const mb = bytes / 1e6;
    console.log(`generated ${file}: ${(bytes / 1024 ** 3).toFixed(2)} GiB, ${generated.lines} lines (${(bytes / generated.lines).toFixed(0)} bytes/line), ${generated.planted} planted problems, in ${genS.toFixed(1)} s`);

    // References first (they also warm the page cache for the run after them): a plain 1 MiB-buffer read that
    // counts newlines, the floor of any streaming reader; and that read plus JSON.parse of every line, the
    // floor of any JSONL validator in Node. Inspect adds validation, statistics and duplicate detection.
    const read = child('read', file);
    const parse = child('parse', file);
    const inspect = inspectCli(file);
    const readMbS = mb / (read.ms / 1000);
    const parseMbS = mb / (parse.ms / 1000);
    const inspectMbS = mb / (inspect.ms / 1000);
    console.log('');
    console.log(`reference  plain read + newline count : ${(read.ms / 1000).toFixed(2)} s, ${readMbS.toFixed(0)} MB/s, peak RSS ${read.maxRssMb.toFixed(0)} MB`);
    console.log(`reference  read + JSON.parse per line  : ${(parse.ms / 1000).toFixed(2)} s, ${parseMbS.toFixed(0)} MB/s, peak RSS ${parse.maxRssMb.toFixed(0)} MB`);
    console.log(`inspect    parse + validate + stats + dedup: ${(inspect.ms / 1000).toFixed(2)} s, ${inspectMbS.toFixed(0)} MB/s, peak RSS ${inspect.maxRssMb.toFixed(0)} MB`);
    console.log(`           ${inspect.examples} examples, ${inspect.labels} labels, ${inspect.duplicateTexts} repeated texts, ${inspect.conflictingTexts} with conflicting labels`);
    console.log(`           problems: ${Object.entries(inspect.problems ?? {}).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`ratio      inspect / plain read throughput: ${(inspectMbS / readMbS).toFixed(3)}; inspect / read + JSON.parse: ${(inspectMbS / parseMbS).toFixed(2)}`);
    console.log(`memory     peak RSS ${inspect.maxRssMb.toFixed(0)} MB vs target < ${rssTargetMb} MB: ${inspect.maxRssMb < rssTargetMb ? 'OK' : 'OVER'}`);
    // Planted problems are line errors; duplicates, and the dataset-level and informational kinds (class imbalance,
    // texts over max_length), are findings about the generated content, not planted.
    const notPlanted = new Set(['duplicate', 'conflictingLabels', 'classImbalance', 'truncatedText']);
    const missed = generated.planted - Object.entries(inspect.problems ?? {}).filter(([k]) => !notPlanted.has(k)).reduce((n, [, c]) => n + c, 0);
    if (missed !== 0) console.log(`WARNING: ${missed} planted line problems were not reported`);
    if (!process.argv.includes('--jsonl-only')) formats(file, dir, inspect);
  } finally {
    cleanup();
  }
  emotionCli();
}

/**
 * CSV and Parquet copies of the generated file, inspected in their own processes. Their file sizes differ from the
 * JSONL's (no repeated keys; Parquet compressed), so rows/s is the figure to compare across formats.
 */
function formats(jsonl: string, dir: string, jsonlInspect: ChildResult): void {
  const csv = join(dir, 'big.csv');
  const parquet = join(dir, 'big.parquet');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/data.ts'), '--child', 'convert', jsonl, csv, parquet], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`convert child failed (${r.status}):\n${r.stderr}`);
  console.log('');
  console.log(`formats    wrote the same ${JSON.parse(r.stdout.trim().split('\n').at(-1)!).lines} rows as CSV (${(statSync(csv).size / 1024 ** 3).toFixed(2)} GiB) and Parquet (${(statSync(parquet).size / 1024 ** 3).toFixed(2)} GiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const jsonlRowsS = jsonlInspect.examples! / (jsonlInspect.ms / 1000);
  console.log(`inspect    jsonl  : ${(statSync(jsonl).size / 1e6 / (jsonlInspect.ms / 1000)).toFixed(0)} MB/s, ${(jsonlRowsS / 1000).toFixed(0)} k rows/s, peak RSS ${jsonlInspect.maxRssMb.toFixed(0)} MB, ${jsonlInspect.examples} examples`);
  for (const [name, path] of [['csv', csv], ['parquet', parquet]] as const) {
    const result = inspectCli(path);
    const rowsS = result.examples! / (result.ms / 1000);
    console.log(`inspect    ${name.padEnd(7)}: ${(statSync(path).size / 1e6 / (result.ms / 1000)).toFixed(0)} MB/s, ${(rowsS / 1000).toFixed(0)} k rows/s (${(rowsS / jsonlRowsS).toFixed(2)}× JSONL), peak RSS ${result.maxRssMb.toFixed(0)} MB vs target < ${rssTargetMb} MB: ${result.maxRssMb < rssTargetMb ? 'OK' : 'OVER'}, ${result.examples} examples`);
  }
}

/** Prints the process's peak RSS (KiB) on stderr as it exits; loaded before the CLI with `--import`. */
const reportMaxRss = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS '+process.resourceUsage().maxRSS+'\\n'))`;

/** `classifier-workbench inspect --json` on `file` in its own process: the report's figures, its time and peak RSS. */
function inspectCli(file: string): ChildResult {
  const bin = join(root, 'bin/classifier-workbench.js');
  const r = spawnSync(process.execPath, ['--import', reportMaxRss, bin, 'inspect', file, '--json', '--no-siblings'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const maxRss = /maxRSS (\d+)/.exec(r.stderr ?? '');
  // Exit 2 means "not trainable", which is a finding about the generated content, not a failure.
  if ((r.status !== 0 && r.status !== 2) || !maxRss) throw new Error(`inspect ${file} failed (${r.status}):\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as DatasetReport;
  return {
    ms: report.elapsedMs, maxRssMb: (Number(maxRss[1]) * 1024) / 1e6, lines: report.lines, examples: report.exampleCount,
    labels: report.labels.length, duplicateTexts: report.duplicateTexts, conflictingTexts: report.conflictingTexts,
    problems: Object.fromEntries(report.problemCounts.map((c) => [c.kind, c.count])),
  };
}

/** Runs one measurement in a fresh Node process so its peak RSS is its own. */
function child(kind: ChildKind, file: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/data.ts'), '--child', kind, file], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${kind} child failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function runChild(kind: ChildKind, file: string): Promise<void> {
  const t0 = performance.now();
  let result: ChildResult;
  if (kind === 'convert') {
    const at = process.argv.indexOf('--child');
    const rows = await writeTabularCopies(file, process.argv[at + 3]!, process.argv[at + 4]!);
    result = { ms: performance.now() - t0, maxRssMb: 0, lines: rows };
  } else if (kind === 'parse') {
    let lines = 0;
    await readJsonlLines(file, (event) => {
      lines++;
      if (event.kind !== 'text') return;
      try {
        JSON.parse(event.text);
      } catch {
        // counted as a line all the same
      }
    });
    result = { ms: performance.now() - t0, maxRssMb: 0, lines };
  } else {
    const handle = await open(file, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      let i = buffer.indexOf(10);
      while (i !== -1 && i < bytesRead) {
        lines++;
        i = buffer.indexOf(10, i + 1);
      }
    }
    await handle.close();
    result = { ms: performance.now() - t0, maxRssMb: 0, lines };
  }
  result.maxRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  console.log(JSON.stringify(result));
}

/**
 * Writes realistic lines until `targetBytes`: texts of 1–4 real sentences (emotion and banking77) with a
 * serial number so they are distinct, 1 in 500 an exact repeat, 1 in 2000 a repeat with another label, and
 * 1 in 100 000 a broken line of each of three kinds, so the bench exercises every path.
 */
async function generate(file: string, targetBytes: number): Promise<{ lines: number; planted: number }> {
  const sources = ['emotion/train.jsonl', 'banking77/train.jsonl'].map((f) =>
    readFileSync(join(root, '../shared/data', f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string }));
  const pool = sources.flat();
  const random = mulberry32(1);
  const out = createWriteStream(file);
  let written = 0;
  let lines = 0;
  let planted = 0;
  const recent: { text: string; label: string }[] = [];
  let chunk: string[] = [];
  let chunkBytes = 0;
  while (written < targetBytes) {
    let line: string;
    const roll = random();
    if (roll < 0.00001) {
      line = '{"text": "broken line, cut';
      planted++;
    } else if (roll < 0.00002) {
      line = '{"text": 12345, "label": "joy"}';
      planted++;
    } else if (roll < 0.00003) {
      line = '["an array", "not an object"]';
      planted++;
    } else if (roll < 0.00203 && recent.length > 0) {
      const old = recent[Math.floor(random() * recent.length)];
      const label = roll < 0.00053 ? pool[Math.floor(random() * pool.length)].label : old.label;
      line = JSON.stringify({ text: old.text, label });
    } else {
      const first = pool[Math.floor(random() * pool.length)];
      const parts = [first.text];
      const extra = Math.floor(random() * 4);
      for (let k = 0; k < extra; k++) parts.push(pool[Math.floor(random() * pool.length)].text);
      const example = { text: `${parts.join('. ')} (#${lines})`, label: first.label };
      if (recent.length < 1000) recent.push(example);
      else if (random() < 0.01) recent[Math.floor(random() * recent.length)] = example;
      line = JSON.stringify(example);
    }
    chunk.push(line);
    chunkBytes += Buffer.byteLength(line) + 1;
    lines++;
    if (chunkBytes > 4 << 20) {
      written += chunkBytes;
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
      chunkBytes = 0;
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return { lines, planted };
}

/** The target: `inspect` on emotion/train.jsonl in under 3 s, through the built CLI. */
function emotionCli(): void {
  const bin = join(root, 'bin/classifier-workbench.js');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'inspect', join(root, '../shared/data/emotion/train.jsonl')], { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  const examples = /(\d+) examples from/.exec(r.stdout)?.[1];
  console.log('');
  console.log(`cli        classifier-workbench inspect emotion/train.jsonl: ${s.toFixed(2)} s wall (target < 3 s), exit ${r.status}, ${examples ?? '?'} examples`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
