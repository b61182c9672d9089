// Measures extension activation: bench/activateProbe.cjs requires the extension's main module (dist/extension.js,
// or the sources through tsx when it is not built) with a stub `vscode`, calls activate and reports the time, the
// modules loaded and the processes started. Each sample is a fresh Node process (cold module cache).
// Usage: npm run bench:activate [-- --production | --source] [-- --runs N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const targetMs = 50;

interface Sample { requireMs: number; activateMs: number; cpuMs: number; modules: number; heavy: string[]; spawned: string[]; disposables: number }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Bundles the extension the way `scripts/build.mjs --production` does, into a temp folder (dist/ is left alone). */
async function buildProduction(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'cw-bench-activate-')), 'extension.js');
  const { importVscodeOnce } = (await import(join(root, 'scripts/importVscodeOnce.mjs'))) as { importVscodeOnce: Plugin };
  await build({
    entryPoints: [join(root, 'src/extension/extension.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true,
    logLevel: 'error', plugins: [importVscodeOnce],
    external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@huggingface/transformers', 'onnxruntime-node'],
  });
  return outfile;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const production = args.includes('--production');
  const useSource = !production && (args.includes('--source') || !existsSync(join(root, 'dist/extension.js')));
  const mainPath = production ? await buildProduction() : useSource ? join(root, 'src/extension/extension.ts') : join(root, 'dist/extension.js');
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 7;
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const nodeArgs = [...(useSource ? ['--import', 'tsx'] : []), join(__dirname, 'activateProbe.cjs'), mainPath, root];
    const out = execFileSync(process.execPath, nodeArgs, { cwd: root, encoding: 'utf8' });
    samples.push(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Sample);
  }
  const totals = samples.map((s) => s.requireMs + s.activateMs);
  const total = median(totals);
  const first = samples[0];
  const build = production ? 'production bundle (minified, as npm run package ships it)' : useSource ? 'sources via tsx (not what VS Code loads; build first)'
    : readFileSync(mainPath, 'utf8').includes('sourceMappingURL') ? 'dist/extension.js, development build (npm run package ships the minified one)' : 'dist/extension.js, production build';
  console.log(`bench:activate — ${build}, ${runs} cold processes`);
  // Other processes on the machine inflate every figure: say how busy it was.
  console.log(`  machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} during the run`);
  console.log(`  require main module: median ${median(samples.map((s) => s.requireMs)).toFixed(1)} ms`);
  console.log(`  activate():          median ${median(samples.map((s) => s.activateMs)).toFixed(1)} ms`);
  console.log(`  total:               median ${total.toFixed(1)} ms, min ${Math.min(...totals).toFixed(1)}, max ${Math.max(...totals).toFixed(1)} (target ≤ ${targetMs} ms; ratio to target ${(total / targetMs).toFixed(2)})`);
  const cpu = median(samples.map((s) => s.cpuMs));
  console.log(`  CPU time (require + activate): median ${cpu.toFixed(1)} ms (ratio to target ${(cpu / targetMs).toFixed(2)}; wall time above includes waiting for a busy CPU)`);
  console.log(`  modules loaded: ${first.modules}; tfjs/engine modules loaded: ${first.heavy.length ? first.heavy.join(', ') : 'none'}`);
  console.log(`  processes started during activation: ${first.spawned.length ? first.spawned.join(', ') : 'none'}; disposables registered: ${first.disposables}`);
  if (first.heavy.length || first.spawned.length) process.exitCode = 1;
}

void main();
