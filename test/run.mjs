// Runs every *.test.ts under test/ (or the folders named on the command line) with node's test runner.
// TypeScript is loaded through tsx, so tests import the sources directly.
import { readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const testRoot = dirname(fileURLToPath(import.meta.url));
const root = join(testRoot, '..');
const suites = process.argv.slice(2);
const folders = (suites.length ? suites : ['unit', 'integration', 'webview', 'e2e']).map((s) => join(testRoot, s));

function collect(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'artifacts') continue;
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = folders.flatMap((f) => collect(f, []));
if (files.length === 0) { console.error('no test files found'); process.exit(1); }
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root, stdio: 'inherit',
});
process.exit(r.status ?? 1);
