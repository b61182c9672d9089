// Picks the tfjs backend the engine computes on: the best one that loads, with the reason better ones were skipped.
// Order for `auto`: tensorflow-gpu → tensorflow (optional native packages, used only when require() succeeds) → wasm → cpu.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { loadNativeTfjsPackage } from './nativeTfjsPackage';
import { shareCopiesOnWasm } from './wasmKernels';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '../../protocol/train';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { sentence, useOption } from '../../common/optionWording';

/** The backend in use and, when it is not the best possible one, why. */
export interface SelectedBackend {
  name: BackendName;
  /** Why better backends were not used (one clause per skipped backend). */
  note?: string;
}

/** tfjs registers backends under these names. */
const tfjsNames: Record<BackendName, string> = { 'tensorflow-gpu': 'tensorflow', tensorflow: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
const nativePackages: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};
const autoOrder: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

let selected: SelectedBackend | undefined;

/**
 * Makes `name` (or the best available one for `auto`) the active tfjs backend and returns what was chosen.
 * Calling it again with the same request returns the same answer without re-initialising.
 * @param name `auto` or a backend name from `--backend`.
 * @throws EngineError(invalidOption) when an explicitly requested backend cannot be loaded, saying why.
 */
export async function selectBackend(name: 'auto' | BackendName): Promise<SelectedBackend> {
  if (selected && (name === 'auto' || name === selected.name)) return selected;
  const reasons: string[] = [];
  for (const candidate of name === 'auto' ? autoOrder : [name]) {
    const failure = await tryBackend(candidate);
    if (failure === undefined) {
      selected = { name: candidate, note: reasons.length ? reasons.join('; ') : undefined };
      return selected;
    }
    reasons.push(`${candidate}: ${failure}`);
    if (name !== 'auto') {
      throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `The ${candidate} backend cannot be used (${failure}). ${sentence(useOption('backend', 'auto or wasm', s))}.`);
    }
  }
  throw new EngineError(EngineErrorCodes.internal, `No tfjs backend could be initialised: ${reasons.join('; ')}`);
}

/**
 * `selectBackend` for a run or a served model. With `fallback`, a requested backend that cannot be loaded gives
 * way to the best available one, and `note` says why in one line (for the log and the run header).
 * @throws EngineError(invalidOption) without `fallback`, as `selectBackend`
 */
export async function selectBackendOrFallback(name: 'auto' | BackendName, fallback: boolean): Promise<SelectedBackend> {
  try {
    return await selectBackend(name);
  } catch (error) {
    if (!fallback || name === 'auto') throw error;
    // The reason without the CLI advice: here the fallback is the answer (and the user may not be on a CLI).
    const reason = error instanceof Error ? error.message.replace(/\.? Use --backend auto or wasm\.$/, '') : String(error);
    const used = await selectBackend('auto');
    return { name: used.name, note: `${reason}; using ${used.name} instead` };
  }
}

/** Returns undefined when `candidate` is now the active backend, else a short reason. */
async function tryBackend(candidate: BackendName): Promise<string | undefined> {
  const pkg = nativePackages[candidate];
  if (pkg) {
    // A runtime require that esbuild leaves alone: the native packages are optional and never bundled. It
    // registers into this engine's tfjs-core (loadNativeTfjsPackage), not a second copy from node_modules.
    const loaded = tf.findBackend(tfjsNames[candidate]) ? { ok: true as const } : loadNativeTfjsPackage(pkg, __filename);
    if (!loaded.ok) return loaded.reason;
    if (!tf.findBackend(tfjsNames[candidate])) return `${pkg} loaded but registered no backend with this tfjs-core`;
  }
  if (candidate === 'wasm') configureWasmPaths();
  try {
    const ok = await tf.setBackend(tfjsNames[candidate]);
    if (!ok) return 'initialisation failed';
    await tf.ready();
    if (candidate === 'wasm') shareCopiesOnWasm();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * The wasm binaries sit in dist/wasm when the engine is bundled and in the package's own dist/ when running
 * from sources under tsx; tell the backend which, before it initialises.
 */
function configureWasmPaths(): void {
  const candidates = [join(__dirname, 'wasm'), join(__dirname, '..', 'wasm')];
  try {
    candidates.push(join(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm'), '..'));
  } catch {
    // Bundled without node_modules: dist/wasm must exist.
  }
  const dir = candidates.find((d) => existsSync(join(d, 'tfjs-backend-wasm-simd.wasm')));
  if (dir) setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
}

/** The backend chosen by the last `selectBackend` call, if any. */
export function currentBackend(): SelectedBackend | undefined {
  return selected;
}
