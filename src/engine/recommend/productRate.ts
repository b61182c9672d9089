// The matrix-product rate of this machine, measured now on the path training would take: the selected tfjs
// backend, with ONNX Runtime's native products on wasm when they load (as a BERT run enables them). A short
// timed probe, so the estimate follows the machine as it is (its load included), not a figure from elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { selectBackendOrFallback } from '../backend/selectBackend';
import { disableNativeMatMul, enableNativeMatMul, nativeMatMulStatus } from '../backend/nativeMatMul';
import type { BackendName } from '../../protocol/train';

export interface ProductRate {
  backend: BackendName;
  /** Products ran natively (ONNX Runtime MLAS on every core) rather than on the backend's own kernels. */
  nativeProducts: boolean;
  /** Sustained rate of one [rows × width]·[width × inner] product, GFLOP/s (2 FLOP per multiply-add). */
  gflops: number;
}

/** How long the probe keeps multiplying after its warm-up. */
const probeMs = 300;
/** At least this many products, whatever their size, so the median means something. */
const minReps = 5;

/**
 * Times the feed-forward product of an encoder layer, `[rows × width]·[width × inner]`, on `backend`.
 * Leaves the process as it found it: native products enabled for the probe are switched off again.
 * @param rows tokens in one training shard (batch × tokens per text)
 * @param width the model's hidden size; `inner` its feed-forward size
 */
export async function measureProductRate(backend: 'auto' | BackendName, rows: number, width: number, inner: number): Promise<ProductRate> {
  const selected = await selectBackendOrFallback(backend, true);
  const wasNative = nativeMatMulStatus() !== undefined;
  const native = selected.name === 'wasm' && (wasNative || enableNativeMatMul(availableParallelism()) === undefined);
  try {
    const a = tf.randomUniform([rows, width]);
    const b = tf.randomUniform([width, inner]);
    try {
      tf.matMul(a, b).dispose();
      // The mean over the window, waits for a core included: a run on a shared machine waits the same way (the
      // median of the same products, tried first, ignored those waits and estimated 2.4–11× under the real runs;
      // docs/performance.md, "Expected training time").
      let reps = 0;
      const start = performance.now();
      do {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
        reps++;
      } while (reps < minReps || performance.now() - start < probeMs);
      const seconds = (performance.now() - start) / 1000;
      return { backend: selected.name, nativeProducts: native, gflops: (2 * rows * width * inner * reps) / seconds / 1e9 };
    } finally {
      a.dispose();
      b.dispose();
    }
  } finally {
    if (native && !wasNative) disableNativeMatMul();
  }
}
