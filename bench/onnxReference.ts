// The inference-speed reference of bench:train: our exported ONNX model through @huggingface/transformers (ONNX
// Runtime). It is not among the project's dependencies (it would add ~200 MB, onnxruntime-web and sharp, to every
// install for one bench): installed on first use into node_modules/.cache (so a fresh clone starts without it), with
// an environment of our own: ONNXRUNTIME_NODE_INSTALL=skip (its onnxruntime-node's install script downloads CUDA
// binaries on npm < 11), no inherited npm settings. npm 11 skips that script anyway (not allowed below).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { npmInstallEnv } from '../test/helpers/npmEnv';

/** The version of @huggingface/transformers (it pins onnxruntime-node 1.30.0). */
export const transformersVersion = '4.3.1';
const root = join(__dirname, '..');
const marker = '.cw-complete';

/** Where the reference is installed: `node_modules/.cache/cw-onnx-reference` of this checkout. */
export const onnxReferenceDir = join(root, 'node_modules', '.cache', 'cw-onnx-reference');

function installed(dir: string): boolean {
  try {
    return readFileSync(join(dir, marker), 'utf8').trim() === transformersVersion;
  } catch {
    return false;
  }
}

/**
 * Installs the reference when missing (about 450 MB from the npm registry, once per checkout) and returns a `require`
 * that resolves from it: `require('@huggingface/transformers')`. Installs into a
 * temporary sibling folder and renames it, so an interrupted install leaves nothing half-done.
 * @throws Error with npm's output when the install fails.
 */
export function ensureOnnxReference(log: (line: string) => void = console.log): NodeRequire {
  if (!installed(onnxReferenceDir)) {
    log(`installing @huggingface/transformers@${transformersVersion} (ONNX Runtime) into ${onnxReferenceDir} (once)`);
    const staging = `${onnxReferenceDir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    // npm 11 runs only the install scripts a project allows: onnxruntime-node's would download CUDA binaries.
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({
      name: 'cw-onnx-reference', private: true, allowScripts: { 'onnxruntime-node': false, protobufjs: false, sharp: false },
    })}\n`);
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `@huggingface/transformers@${transformersVersion}`], {
      cwd: staging, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: npmInstallEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' }),
    });
    if (r.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`Installing the ONNX Runtime reference failed (exit ${r.status ?? r.signal}); it needs the npm registry:\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
    }
    writeFileSync(join(staging, marker), `${transformersVersion}\n`);
    rmSync(onnxReferenceDir, { recursive: true, force: true });
    renameSync(staging, onnxReferenceDir);
  }
  if (!existsSync(join(onnxReferenceDir, 'node_modules', 'onnxruntime-node'))) throw new Error(`${onnxReferenceDir} has no onnxruntime-node`);
  return createRequire(join(onnxReferenceDir, 'package.json'));
}


/** What the benches use of @huggingface/transformers. */
interface Transformers {
  env: { allowRemoteModels: boolean; localModelPath: string };
  pipeline(task: 'text-classification', model: string, options: { dtype: 'fp32' }): Promise<(texts: string[]) => Promise<unknown>>;
}

/**
 * A text-classification pipeline of @huggingface/transformers (ONNX Runtime, fp32) over an exported model folder
 * holding `onnx/model.onnx` (the engine's exportOnnx), or why it cannot be had.
 * @returns a function from texts to the top label of each
 */
export async function onnxTextClassifier(folder: string): Promise<((texts: string[]) => Promise<{ label: string }[]>) | string> {
  let transformers: Transformers;
  try {
    transformers = ensureOnnxReference()('@huggingface/transformers') as Transformers;
  } catch (err) {
    return `@huggingface/transformers not loadable (${(err as Error).message})`;
  }
  transformers.env.allowRemoteModels = false;
  transformers.env.localModelPath = join(folder, '..');
  const classify = await transformers.pipeline('text-classification', basename(folder), { dtype: 'fp32' });
  return async (texts) => (await classify(texts)) as { label: string }[];
}
