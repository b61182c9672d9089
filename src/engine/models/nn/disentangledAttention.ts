// The relative-position terms of DeBERTa's disentangled attention (He et al. 2021; transformers'
// modeling_deberta_v2.py `DisentangledSelfAttention.disentangled_attention_bias`), added to the content scores:
//   c2p[i, j] = q_i · posK[r(i, j)]      (content of the query → position of the key)
//   p2c[i, j] = k_j · posQ[r(i, j)]      (position of the query → content of the key)
// with r(i, j) the table row of relativeIndexTable(), both divided by √(d · scaleFactor). The gather along the
// relative axis is written as a batched product with a constant one-hot tensor, so forward and backward are plain
// matrix products (tf.gather's gradient kernel is missing on wasm).
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMul } from './fastOps';

export interface RelativeIndex {
  /** Table rows used by queries × keys, `[qLen, kLen]`, each in `[lo, lo + width)`. */
  index: Int32Array;
  lo: number;
  width: number;
}

/** The rows of the relative table an index uses: the smallest window `[lo, lo + width)` holding all of them. */
export function relativeWindow(index: Int32Array): RelativeIndex {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of index) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { index, lo, width: hi - lo + 1 };
}

/**
 * One-hot of the index as `[outer, width, inner]`: for c2p outer = query, inner = key; for p2c (`keyOuter`) outer =
 * key, inner = query.
 */
function oneHot(rel: RelativeIndex, qLen: number, kLen: number, keyOuter: boolean): tf.Tensor3D {
  const { index, lo, width } = rel;
  const [outer, inner] = keyOuter ? [kLen, qLen] : [qLen, kLen];
  const data = new Float32Array(outer * width * inner);
  for (let i = 0; i < qLen; i++) {
    for (let j = 0; j < kLen; j++) {
      const r = index[i * kLen + j] - lo;
      data[keyOuter ? (j * width + r) * inner + i : (i * width + r) * inner + j] = 1;
    }
  }
  return tf.tensor3d(data, [outer, width, inner]);
}

/** Projected positions `[width, heads·d]` → `[batch·heads, d, width]` (the same for every sequence of the batch). */
function perHead(pos: tf.Tensor2D, batch: number, heads: number): tf.Tensor3D {
  const [width, h] = pos.shape;
  const d = h / heads;
  const t = tf.transpose(tf.reshape(pos, [1, width, heads, d]), [0, 2, 3, 1]);
  return tf.reshape(tf.tile(t, [batch, 1, 1, 1]), [batch * heads, d, width]);
}

/**
 * The relative terms of the attention scores, `[batch·heads, qLen, kLen]`, already divided by `scale`.
 * @param q queries `[batch·heads, qLen, d]`; @param k keys `[batch·heads, kLen, d]`
 * @param posKey the key projection of the relative table's rows `[lo, lo + width)`, `[width, heads·d]` (c2p), or null
 * @param posQuery the query projection of those rows (p2c), or null
 * @param scale √(d · scaleFactor)
 */
export function disentangledBias(
  q: tf.Tensor3D, k: tf.Tensor3D, posKey: tf.Tensor2D | null, posQuery: tf.Tensor2D | null, rel: RelativeIndex, batch: number, heads: number, scale: number,
): tf.Tensor3D {
  const bh = batch * heads;
  const qLen = q.shape[1];
  const kLen = k.shape[1];
  let score: tf.Tensor3D | null = null;
  if (posKey) {
    const full = batchMatMul(q, perHead(posKey, batch, heads)); // [BH, qLen, width]
    const picked = batchMatMul(tf.transpose(full, [1, 0, 2]), oneHot(rel, qLen, kLen, false)); // [qLen, BH, kLen]
    score = tf.transpose(picked, [1, 0, 2]);
  }
  if (posQuery) {
    const full = batchMatMul(k, perHead(posQuery, batch, heads)); // [BH, kLen, width]
    const picked = batchMatMul(tf.transpose(full, [1, 0, 2]), oneHot(rel, qLen, kLen, true)); // [kLen, BH, qLen]
    const p2c = tf.transpose(picked, [1, 2, 0]) as tf.Tensor3D;
    score = score ? (tf.add(score, p2c) as tf.Tensor3D) : p2c;
  }
  return tf.mul(score ?? tf.zeros([bh, qLen, kLen]), 1 / scale) as tf.Tensor3D;
}
