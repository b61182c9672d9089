// Bundles the extension, the engine process, the CLI, the training worker and the webview pages into dist/.
// Entries whose source does not exist yet are skipped, so the build works while the tree grows.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importVscodeOnce } from './importVscodeOnce.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir <dir>` builds elsewhere (the e2e tests package a production build without touching dist/).
const outdirAt = process.argv.indexOf('--outdir');
const dist = outdirAt > 0 ? resolve(process.argv[outdirAt + 1]) : join(root, 'dist');
const production = process.argv.includes('--production');
// dist/ is overwritten in place (not wiped) so parallel builds and a running engine do not lose files.
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Optional native backends are loaded at run time only when installed; never bundled.
  // tfjs-backend-cpu's `sideEffects` list omits its Node entry file, so esbuild would drop the import that
  // registers the cpu backend; bundle as if nothing were side-effect free.
  ignoreAnnotations: true,
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@huggingface/transformers', 'onnxruntime-node'],
};

const nodeEntries = [
  ['src/extension/extension.ts', 'extension.js'],
  ['src/engine/rpc/main.ts', 'engine.js'],
  ['src/engine/cli/main.ts', 'cli.js'],
  ['src/engine/train/worker.ts', 'trainWorker.js'],
];
const jobs = [];
for (const [src, out] of nodeEntries) {
  const plugins = out === 'extension.js' ? [importVscodeOnce] : [];
  if (existsSync(join(root, src))) jobs.push(build({ ...common, plugins, entryPoints: [join(root, src)], outfile: join(dist, out) }));
}

// Each folder of webview-ui/ with a main.ts is one page: dist/webview/<page>.js (+ .css when it imports CSS).
const webviewRoot = join(root, 'webview-ui');
if (existsSync(webviewRoot)) {
  for (const page of readdirSync(webviewRoot)) {
    const entry = join(webviewRoot, page, 'main.ts');
    if (!existsSync(entry)) continue;
    jobs.push(build({
      bundle: true, platform: 'browser', target: 'es2022', format: 'iife', minify: production,
      sourcemap: production ? false : 'linked', logLevel: 'warning',
      entryPoints: [entry], outfile: join(dist, 'webview', `${page}.js`),
    }));
  }
}

// The wasm backend loads its binaries from disk at run time.
const wasmSrc = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
mkdirSync(join(dist, 'wasm'), { recursive: true });
for (const f of readdirSync(wasmSrc)) if (f.endsWith('.wasm')) copyFileSync(join(wasmSrc, f), join(dist, 'wasm', f));

await Promise.all(jobs);
