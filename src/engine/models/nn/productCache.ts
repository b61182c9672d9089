// Dense-layer products kept between the two forward passes of layer-wise gradients (nn/layerwiseGradients.ts).
// Layer-wise gradients run each layer's forward twice: once without a tape (keeping only the layer's input), once
// again under autograd for its vector-Jacobian product. The second pass's matrix products are the same numbers as
// the first's (same inputs, same weights, a deterministic GEMM), so when the shard's products fit the memory plan
// they are kept from the first pass and reused: the recomputation then costs only element-wise work (at BERT-base
// the products are ~¾ of a forward pass, and a forward pass ~¼ of a step's products). Their gradients are the
// products' own (fastOps.denseTrainable / denseFrozen with a known value), so results are unchanged.
import * as tf from '@tensorflow/tfjs-core';

export class ProductCache {
  private mode: 'off' | 'record' | 'replay' = 'off';
  /** Kept products per key, in the order the first pass made them (a key may repeat: DeBERTa's shared key projection). */
  private readonly kept = new Map<string, tf.Tensor[]>();
  /** Products handed out in replay mode: disposed by `release` once the part's gradients are taken. */
  private readonly handedOut: tf.Tensor[] = [];

  /** From now on `record` keeps what it is given (the first, tape-less pass). */
  startRecording(): void {
    this.mode = 'record';
  }

  /** From now on `replayed` hands out the kept products, first in first out per key (the recomputation). */
  startReplaying(): void {
    this.mode = 'replay';
  }

  /** Neither records nor replays (a part that is run only once). */
  stop(): void {
    this.mode = 'off';
  }

  /** The product the first pass made under `key`, in replay mode; else undefined (compute it). */
  replayed(key: string): tf.Tensor | undefined {
    if (this.mode !== 'replay') return undefined;
    const t = this.kept.get(key)?.shift();
    if (t) this.handedOut.push(t);
    return t;
  }

  /** Keeps product `value` of `key` (beyond the caller's tidy scope) in record mode; returns it. */
  record<T extends tf.Tensor>(key: string, value: T): T {
    if (this.mode !== 'record') return value;
    const list = this.kept.get(key) ?? [];
    list.push(tf.keep(value));
    this.kept.set(key, list);
    return value;
  }

  /** Disposes the products handed out so far (call after each part's gradients). */
  release(): void {
    for (const t of this.handedOut.splice(0)) t.dispose();
  }

  /** Disposes everything kept (end of the shard, or an error). */
  dispose(): void {
    this.release();
    for (const list of this.kept.values()) for (const t of list) t.dispose();
    this.kept.clear();
    this.mode = 'off';
  }
}
