// Gradients of a stack of parts (embedding stage, encoder layers, head + loss) one part at a time: a forward pass
// without a tape that keeps only each part's input, then from the top each part's forward pass recomputed under
// autograd and its vector-Jacobian product taken, its weight gradients read out before the next part starts. The
// backend's heap then holds the weights, the parts' inputs and one part's activations, instead of every activation
// of the network plus autograd's copies (docs/performance.md, "Memory"). Costs one more forward pass. Used by BERT
// (and its relatives) and ModernBERT.
//
// The recomputed forward must equal the first one: parts draw dropout from their own DropoutMasks stream
// (DropoutMasks.stream), so a recomputation draws the same masks. Its matrix products can be kept from the first
// pass instead of being computed again (nn/productCache.ts) when the memory plan allows.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './paramStore';
import type { TensorSource, UploadedWeights } from './uploadedWeights';
import { readFloats } from '../../backend/wasmKernels';
import type { ProductCache } from './productCache';

/** One part of the stack: the parameters it reads and its forward pass on the previous part's output. */
export interface GradientPart {
  /** Names of the tensors the part reads; those among the trainable uploaded weights get gradients. */
  params: readonly string[];
  forward(src: TensorSource, x: tf.Tensor): tf.Tensor;
}

/** Adds gradient tensor `g` into `grads` from `offset` (read in place from the heap: no copy of its values). */
export function addGradInto(grads: Float32Array, offset: number, g: tf.Tensor): void {
  const src = readFloats(g);
  // Both sides as views indexed from 0 (V8 then drops most bounds checks), four elements per iteration: together
  // ~1.6× faster than `grads[offset + j] += src[j]` (docs/performance.md). V8 does not vectorise this loop itself.
  const dst = grads.subarray(offset, offset + src.length);
  const n = dst.length;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    dst[j] += src[j];
    dst[j + 1] += src[j + 1];
    dst[j + 2] += src[j + 2];
    dst[j + 3] += src[j + 3];
  }
  for (; j < n; j++) dst[j] += src[j];
}

/**
 * Loss and gradients of `head(parts[n−1](… parts[0](input)))`, part by part.
 * @param parts the stack below the head, in forward order
 * @param head the last part: its forward returns the scalar loss
 * @param grads flat gradient buffer (store layout): the trainable parameters' gradients are added into it
 * @param products when given, the parts' forward passes keep their products in it on the first pass and reuse them
 *   in the recomputation (nn/productCache.ts; the parts must read it, as BERT's encoder does through ForwardOptions)
 * @returns the loss and the gradient of `input` (a kept tensor: the caller disposes it)
 */
export function layerwiseGradients(
  weights: UploadedWeights, store: ParamStore, parts: readonly GradientPart[], head: GradientPart, input: tf.Tensor, grads: Float32Array,
  products?: ProductCache,
): { loss: number; dInput: tf.Tensor } {
  const trainable = new Set(weights.trainableNames);
  const kept: tf.Tensor[] = [];
  try {
    // Forward without a tape: keep each part's input (inputs[i] feeds parts[i]; inputs[n] feeds the head).
    const inputs: tf.Tensor[] = [input];
    products?.startRecording();
    for (const part of parts) {
      const out = tf.keep(tf.tidy(() => part.forward(weights.source(), inputs.at(-1)!)));
      inputs.push(out);
      kept.push(out);
    }
    products?.stop();
    let loss = 0;
    const one = tf.keep(tf.scalar(1));
    kept.push(one);
    let dy = partGradients(weights, store, trainable, head, inputs[parts.length], one, grads, (value) => {
      loss = value.dataSync()[0];
    });
    kept.push(dy);
    products?.startReplaying();
    for (let i = parts.length - 1; i >= 0; i--) {
      const dx = partGradients(weights, store, trainable, parts[i], inputs[i], dy, grads);
      products?.release();
      kept.push(dx);
      dy.dispose();
      dy = dx;
      inputs[i + 1].dispose();
    }
    kept.splice(kept.indexOf(dy), 1);
    return { loss, dInput: dy };
  } finally {
    products?.dispose();
    for (const t of kept) if (!t.isDisposed) t.dispose();
  }
}

/**
 * The vector-Jacobian product `dyᵀ · ∂part(x)` with respect to `x` and the part's trainable parameters: adds the
 * parameter gradients into `grads` and returns the input gradient (kept: it outlives this tidy scope). `dy` seeds
 * the backward pass directly; the former `sum(part(x) · dy)` made tfjs build a JS array of ones of the output's size
 * for Sum's gradient (4 MB per part and shard at base size, garbage that forced a full GC every ~0.5 s) and multiply.
 * @param onValue sees the part's output (the head's loss) inside the scope
 */
export function partGradients(
  weights: UploadedWeights, store: ParamStore, trainable: ReadonlySet<string>, part: GradientPart, x: tf.Tensor, dy: tf.Tensor, grads: Float32Array,
  onValue?: (value: tf.Tensor) => void,
): tf.Tensor {
  const names = part.params.filter((n) => trainable.has(n));
  let dx: tf.Tensor | undefined;
  tf.tidy(() => {
    const f = (...xs: tf.Tensor[]): tf.Tensor => {
      const overrides = new Map<string, tf.Tensor>();
      names.forEach((n, i) => overrides.set(n, xs[i + 1]));
      const y = part.forward(weights.source(overrides), xs[0]);
      onValue?.(y);
      return y;
    };
    const { grads: g } = tf.valueAndGrads(f)([x, ...names.map((n) => weights.get(n))], dy);
    names.forEach((n, i) => addGradInto(grads, store.spec(n).offset, g[i + 1]));
    dx = tf.keep(g[0]);
  });
  return dx!;
}
