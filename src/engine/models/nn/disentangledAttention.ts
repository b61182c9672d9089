// The relative-position terms of DeBERTa's disentangled attention (He et al. 2021; transformers'
// modeling_deberta_v2.py `DisentangledSelfAttention.disentangled_attention_bias`), added to the content scores:
//   c2p[i, j] = q_i · posK[r(i, j)]      (content of the query → position of the key)
//   p2c[i, j] = k_j · posQ[r(i, j)]      (position of the query → content of the key)
// with r(i, j) the table row of relativeIndexTable(), both divided by √(d · scaleFactor). The projections onto all
// used rows (`q · posKᵀ`, `k · posQᵀ`) are matrix products; the pick of row r(i, j) along the relative axis is a
// gather. tf.gather's gradient kernel is missing on wasm, so there the gather is a fused heap kernel
// (backend/heapKernels.ts) with a hand-written scatter-add gradient, O(BH·T²) for both terms in one pass, and the
// projections are one product per head over the whole batch (no copy of the table per sequence: tfjs's Tile is slow
// on wasm and its gradient is a slice and an add per sequence). Other backends (and the tests' reference) tile the
// table and gather with a batched product by a constant one-hot `[len, width, len]`: O(BH·T²·width) per term, and
// the one-hot's memory (~0.5 GB per term at 512 tokens with 256 buckets).
import * as tf from '@tensorflow/tfjs-core';
import { heapKernelsActive, registerHeapKernel } from '../../backend/heapKernels';
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
function oneHotIndex(rel: RelativeIndex, qLen: number, kLen: number, keyOuter: boolean): tf.Tensor3D {
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

interface GatherAttrs {
  /** Table rows `[qLen, kLen]` (RelativeIndex.index), each in `[lo, lo + width)`. */
  index: Int32Array;
  lo: number;
  batch: number;
  heads: number;
  qLen: number;
  kLen: number;
  /** Factor on the result (1 / scale). */
  factor: number;
  /** Single-term kernel only: the term is p2c (its input is `[heads, batch·kLen, width]`, read at the key's row). */
  keyOuter?: boolean;
}

/**
 * Per (i, j), where its row sits in one head's block of the projections (`[len, width]`): c2p reads
 * `i·width + r(i, j) − lo`, p2c `j·width + r(i, j) − lo`. Cached per index (the encoder caches indices per shape).
 */
const offsetCache = new WeakMap<Int32Array, { width: number; c2p: Int32Array; p2c: Int32Array }>();
function rowOffsets(a: GatherAttrs, width: number): { c2p: Int32Array; p2c: Int32Array } {
  const hit = offsetCache.get(a.index);
  if (hit && hit.width === width) return hit;
  const { index, lo, qLen, kLen } = a;
  const c2p = new Int32Array(qLen * kLen);
  const p2c = new Int32Array(qLen * kLen);
  for (let i = 0; i < qLen; i++) {
    for (let j = 0; j < kLen; j++) {
      c2p[i * kLen + j] = i * width + index[i * kLen + j]! - lo;
      p2c[i * kLen + j] = j * width + index[i * kLen + j]! - lo;
    }
  }
  const entry = { width, c2p, p2c };
  offsetCache.set(a.index, entry);
  return entry;
}

/**
 * `out [batch·heads, qLen, kLen]` at (b·heads + h, i, j) = factor · (c2p[h, b·qLen + i, r(i, j) − lo] +
 * p2c[h, b·kLen + j, r(i, j) − lo]), either term absent (null).
 */
function gatherInto(c2p: Float32Array | null, p2c: Float32Array | null, out: Float32Array, width: number, a: GatherAttrs): void {
  const { batch, heads, qLen, kLen, factor } = a;
  const off = rowOffsets(a, width);
  const n = qLen * kLen;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const o = (b * heads + h) * n;
      const baseC = (h * batch + b) * qLen * width;
      const baseP = (h * batch + b) * kLen * width;
      if (c2p && p2c) {
        const oc = off.c2p;
        const op = off.p2c;
        for (let e = 0; e < n; e++) out[o + e] = (c2p[baseC + oc[e]!]! + p2c[baseP + op[e]!]!) * factor;
      } else if (c2p) {
        const oc = off.c2p;
        for (let e = 0; e < n; e++) out[o + e] = c2p[baseC + oc[e]!]! * factor;
      } else {
        const op = off.p2c;
        for (let e = 0; e < n; e++) out[o + e] = p2c![baseP + op[e]!]! * factor;
      }
    }
  }
}

/** c2p alone or p2c alone (attribute keyOuter): `[heads, batch·len, width]` → `[batch·heads, qLen, kLen]`. */
const gatherKernel = registerHeapKernel<GatherAttrs>({
  name: 'CwRelativeGather',
  inputNames: ['full'],
  outputShapes: (_, { batch, heads, qLen, kLen }) => [[batch * heads, qLen, kLen]],
  body: ([full], [out], attrs, [shape]) => gatherInto(attrs.keyOuter ? null : full!, attrs.keyOuter ? full! : null, out!, shape![2]!, attrs),
});

/** c2p + p2c in one pass: `[heads, batch·qLen, width]`, `[heads, batch·kLen, width]` → `[batch·heads, qLen, kLen]`. */
const gatherPairKernel = registerHeapKernel<GatherAttrs>({
  name: 'CwRelativeGatherPair',
  inputNames: ['c2p', 'p2c'],
  outputShapes: (_, { batch, heads, qLen, kLen }) => [[batch * heads, qLen, kLen]],
  body: ([c2p, p2c], [out], attrs, [shape]) => gatherInto(c2p!, p2c!, out!, shape![2]!, attrs),
});

/**
 * The gradient of one term (a scatter-add): dy `[batch·heads, qLen, kLen]` → `[heads, batch·(qLen | kLen), width]`,
 * each element the sum of `factor · dy` over the (i, j) that read it. `width` comes in as an attribute.
 */
const scatterKernel = registerHeapKernel<GatherAttrs & { width: number }>({
  name: 'CwRelativeScatter',
  inputNames: ['dy'],
  outputShapes: (_, { batch, heads, keyOuter, qLen, kLen, width }) => [[heads, batch * (keyOuter ? kLen : qLen), width]],
  body: ([dy], [dFull], attrs) => {
    const { batch, heads, qLen, kLen, factor, keyOuter, width } = attrs;
    const off = keyOuter ? rowOffsets(attrs, width).p2c : rowOffsets(attrs, width).c2p;
    const len = keyOuter ? kLen : qLen;
    const n = qLen * kLen;
    dFull!.fill(0);
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const o = (b * heads + h) * n;
        const base = (h * batch + b) * len * width;
        for (let e = 0; e < n; e++) dFull![base + off[e]!] += dy![o + e]! * factor;
      }
    }
  },
});

function scatter(dy: tf.Tensor, attrs: GatherAttrs, keyOuter: boolean, width: number): tf.Tensor {
  return scatterKernel([dy], { ...attrs, keyOuter, width })[0]!;
}

tf.registerGradient({
  kernelName: 'CwRelativeGather',
  inputsToSave: ['full'],
  gradFunc: (dy, [full], attrs) => {
    const a = attrs as unknown as GatherAttrs;
    return { full: () => scatter(dy as tf.Tensor, a, a.keyOuter === true, full!.shape[2]!) };
  },
});

tf.registerGradient({
  kernelName: 'CwRelativeGatherPair',
  inputsToSave: ['c2p'],
  gradFunc: (dy, [c2p], attrs) => {
    const a = attrs as unknown as GatherAttrs;
    const width = c2p!.shape[2]!;
    return { c2p: () => scatter(dy as tf.Tensor, a, false, width), p2c: () => scatter(dy as tf.Tensor, a, true, width) };
  },
});

/** `x [batch·heads, len, d]` · per-head positions `[width, heads·d]`ᵀ → `[heads, batch·len, width]`. */
function headMajorProjection(x: tf.Tensor3D, pos: tf.Tensor2D, batch: number, heads: number): tf.Tensor3D {
  const [, len, d] = x.shape;
  const width = pos.shape[0];
  const xH = tf.reshape(tf.transpose(tf.reshape(x, [batch, heads, len, d]), [1, 0, 2, 3]), [heads, batch * len, d]);
  const posH = tf.transpose(tf.reshape(pos, [width, heads, d]), [1, 2, 0]); // [heads, d, width]
  return batchMatMul(xH, posH);
}

/**
 * The relative terms of the attention scores, `[batch·heads, qLen, kLen]`, already divided by `scale`.
 * @param q queries `[batch·heads, qLen, d]`; @param k keys `[batch·heads, kLen, d]`
 * @param posKey the key projection of the relative table's rows `[lo, lo + width)`, `[width, heads·d]` (c2p), or null
 * @param posQuery the query projection of those rows (p2c), or null
 * @param scale √(d · scaleFactor)
 * @param oneHot gather with the one-hot products even on wasm (the reference formulation, for tests)
 */
export function disentangledBias(
  q: tf.Tensor3D, k: tf.Tensor3D, posKey: tf.Tensor2D | null, posQuery: tf.Tensor2D | null, rel: RelativeIndex, batch: number, heads: number, scale: number,
  oneHot = false,
): tf.Tensor3D {
  const bh = batch * heads;
  const qLen = q.shape[1];
  const kLen = k.shape[1];
  if (rel.index.length !== qLen * kLen) throw new Error(`disentangledBias: a relative index of ${rel.index.length} for ${qLen} queries × ${kLen} keys`);
  if (!posKey && !posQuery) return tf.zeros([bh, qLen, kLen]);
  if (heapKernelsActive() && !oneHot) {
    const c2pH = posKey ? headMajorProjection(q, posKey, batch, heads) : null;
    const p2cH = posQuery ? headMajorProjection(k, posQuery, batch, heads) : null;
    const attrs: GatherAttrs = { index: rel.index, lo: rel.lo, batch, heads, qLen, kLen, factor: 1 / scale };
    if (c2pH && p2cH) return gatherPairKernel([c2pH, p2cH], attrs)[0] as tf.Tensor3D;
    return gatherKernel([(c2pH ?? p2cH)!], { ...attrs, keyOuter: !c2pH })[0] as tf.Tensor3D;
  }
  const c2p = posKey ? batchMatMul(q, perHead(posKey, batch, heads)) : null; // [BH, qLen, width]
  const p2c = posQuery ? batchMatMul(k, perHead(posQuery, batch, heads)) : null; // [BH, kLen, width]
  let score: tf.Tensor3D | null = null;
  if (c2p) {
    const picked = batchMatMul(tf.transpose(c2p, [1, 0, 2]), oneHotIndex(rel, qLen, kLen, false)); // [qLen, BH, kLen]
    score = tf.transpose(picked, [1, 0, 2]);
  }
  if (p2c) {
    const picked = batchMatMul(tf.transpose(p2c, [1, 0, 2]), oneHotIndex(rel, qLen, kLen, true)); // [kLen, BH, qLen]
    const t = tf.transpose(picked, [1, 2, 0]) as tf.Tensor3D;
    score = score ? (tf.add(score, t) as tf.Tensor3D) : t;
  }
  return tf.mul(score!, 1 / scale) as tf.Tensor3D;
}
