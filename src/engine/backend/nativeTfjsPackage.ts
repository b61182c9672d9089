// Loads an optional native tfjs backend package (@tensorflow/tfjs-node, -node-gpu) so that it registers into
// THIS engine's tfjs-core. The engine is bundled with its own copy of tfjs-core; a package installed beside it
// would otherwise `require('@tensorflow/tfjs-core')` from node_modules and register its backend into that other
// instance, where the engine never sees it.
import Module, { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/** What each native package needs beyond `npm install`, said when it is installed but does not load. */
export const nativeRequirements: Record<string, string> = {
  '@tensorflow/tfjs-node': 'libtensorflow 2.9.1 (downloaded by the package\'s install script; on npm 11 allow it with `npm install-scripts approve @tensorflow/tfjs-node`)',
  '@tensorflow/tfjs-node-gpu': 'an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8 on the library path) and libtensorflow 2.9.1 GPU (downloaded by the package\'s install script)',
};

export type NativeLoad = { ok: true } | { ok: false; reason: string };

/** The cache key under which this engine's tfjs-core is served to the package being loaded. */
const engineCoreKey = '\0classifier-workbench:@tensorflow/tfjs-core';

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
}

/**
 * Requires `pkg` (resolved from `from`, plus NODE_PATH) while every `require('@tensorflow/tfjs-core')` made during
 * its load returns the engine's own tfjs-core module.
 * @returns ok, or why not in one clause: not installed, or installed but failed to load (with what it needs)
 */
export function loadNativeTfjsPackage(pkg: string, from: string): NativeLoad {
  const req = createRequire(from);
  try {
    req.resolve(pkg);
  } catch {
    return { ok: false, reason: `${pkg} is not installed (optional; it downloads libtensorflow at install time)` };
  }
  const internals = Module as unknown as ModuleInternals;
  const served = new Module(engineCoreKey);
  served.exports = tf;
  served.loaded = true;
  internals._cache[engineCoreKey] = served;
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]): string {
    return request === '@tensorflow/tfjs-core' ? engineCoreKey : resolve.call(this, request, parent, ...rest);
  };
  try {
    req(pkg);
    return { ok: true };
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { ok: false, reason: `${pkg} is installed but did not load (${first}); it needs ${nativeRequirements[pkg] ?? 'its native library'}` };
  } finally {
    internals._resolveFilename = resolve;
  }
}
