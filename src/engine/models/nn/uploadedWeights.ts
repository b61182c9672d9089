// A parameter store's tensors uploaded to the tfjs backend once and kept across steps: the frozen ones stay, the
// trainable ones are dropped after each optimiser step (their values changed) and uploaded again when next used.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './paramStore';

/** Where a forward pass gets its tensors: trainable ones are the gradient inputs, frozen ones are constants. */
export interface TensorSource {
  get(name: string): tf.Tensor;
  has(name: string): boolean;
  trainable(name: string): boolean;
}

export class UploadedWeights {
  private readonly tensors = new Map<string, tf.Tensor>();

  /** @param trainableNames the tensors whose uploads `invalidateTrainable` drops */
  constructor(private readonly store: ParamStore, readonly trainableNames: readonly string[]) {}

  /** The tensor of `name` (shape as in the store), uploaded on first use. */
  get(name: string): tf.Tensor {
    let t = this.tensors.get(name);
    if (!t) {
      // Kept across tidy scopes: the cache outlives the step that first uploads a tensor.
      t = tf.keep(tf.tensor(this.store.get(name), this.store.spec(name).shape));
      this.tensors.set(name, t);
    }
    return t;
  }

  /** A source that answers with `overrides` (the gradient inputs: trainable) first, else the uploaded tensors. */
  source(overrides?: Map<string, tf.Tensor>): TensorSource {
    return {
      get: (name) => overrides?.get(name) ?? this.get(name),
      has: (name) => this.store.has(name),
      trainable: (name) => overrides !== undefined && overrides.has(name),
    };
  }

  /** Drops uploaded copies of the trainable tensors: call after the store's values changed. */
  invalidateTrainable(): void {
    for (const name of this.trainableNames) {
      this.tensors.get(name)?.dispose();
      this.tensors.delete(name);
    }
  }

  /** Drops every uploaded tensor (e.g. after loading other weights into the store). */
  invalidateAll(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }
}
