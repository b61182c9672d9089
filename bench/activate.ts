// Measures extension activation: bench/activateProbe.cjs requires the extension's main module (dist/extension.js,
// or the sources through tsx when it is not built) with a stub `vscode`, calls activate and reports the time, the
// modules loaded and the processes started. Each sample is a fresh Node process (cold module cache).
// Usage: npm run bench:activate [-- --source] [-- --runs N]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const targetMs = 50;

interface Sample { requireMs: number; activateMs: number; modules: number; heavy: string[]; spawned: string[]; disposables: number }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const args = process.argv.slice(2);
  const useSource = args.includes('--source') || !existsSync(join(root, 'dist/extension.js'));
  const mainPath = useSource ? join(root, 'src/extension/extension.ts') : join(root, 'dist/extension.js');
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
  console.log(`bench:activate — ${useSource ? 'sources via tsx (not what VS Code loads; build first)' : 'dist/extension.js'}, ${runs} cold processes`);
  // Other processes on the machine inflate every figure: say how busy it was.
  console.log(`  machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} during the run`);
  console.log(`  require main module: median ${median(samples.map((s) => s.requireMs)).toFixed(1)} ms`);
  console.log(`  activate():          median ${median(samples.map((s) => s.activateMs)).toFixed(1)} ms`);
  console.log(`  total:               median ${total.toFixed(1)} ms, min ${Math.min(...totals).toFixed(1)}, max ${Math.max(...totals).toFixed(1)} (target ≤ ${targetMs} ms; ratio to target ${(total / targetMs).toFixed(2)})`);
  console.log(`  modules loaded: ${first.modules}; tfjs/engine modules loaded: ${first.heavy.length ? first.heavy.join(', ') : 'none'}`);
  console.log(`  processes started during activation: ${first.spawned.length ? first.spawned.join(', ') : 'none'}; disposables registered: ${first.disposables}`);
  if (first.heavy.length || first.spawned.length) process.exitCode = 1;
}

main();
