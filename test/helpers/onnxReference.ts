// ONNX Runtime as the reference for our ONNX export (the export test) and for inference speed (bench:train):
// @huggingface/transformers and the onnxruntime-node it depends on. They are not among the project's dependencies:
// onnxruntime-node's install script downloads CUDA binaries from NuGet on npm < 11 unless a setting tells it to skip
// (and npm 11 warns about that setting in .npmrc), and they would add ~460 MB to every install. They are installed on
// first use into node_modules/.cache (so a fresh clone starts without them), with an environment of our own:
// ONNXRUNTIME_NODE_INSTALL=skip, no inherited npm settings. npm 11 skips the script anyway (not allowed below).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { npmInstallEnv } from './npmEnv';
import type { Requirement } from './requirements';

/** The version of @huggingface/transformers (it pins onnxruntime-node 1.30.0). */
export const transformersVersion = '4.3.1';
const root = join(__dirname, '..', '..');
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
 * that resolves from it: `require('onnxruntime-node')`, `require('@huggingface/transformers')`. Installs into a
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

let loaded: { require?: NodeRequire; error?: string } | undefined;

/** The reference as a test requirement (test/helpers/requirements.ts): present when it is installed or installs. */
export const onnxRuntimeReference: Requirement = {
  what: `ONNX Runtime (@huggingface/transformers@${transformersVersion}, installed on first use)`,
  remedy: 'the npm registry must be reachable for its first install',
  present: () => {
    loaded ??= (() => {
      try {
        return { require: ensureOnnxReference() };
      } catch (error) {
        return { error: (error as Error).message };
      }
    })();
    if (loaded.error) console.error(loaded.error);
    return loaded.require !== undefined;
  },
};

/** `require('onnxruntime-node')` from the reference; call it in a test that needs `onnxRuntimeReference`. */
export function requireOnnxRuntime<T>(): T {
  return ensureOnnxReference()('onnxruntime-node') as T;
}
