// DeBERTa's relative terms (nn/disentangledAttention.ts): on wasm the pick of each (query, key) pair's relative row
// is a fused gather with a hand-written scatter-add gradient; it must equal the one-hot product formulation (the
// reference, and the path of other backends), values and the gradients of q, k and both position projections, at
// shapes where log buckets merge distances and far distances saturate at the table's ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { disentangledBias, relativeWindow } from '../../../../../src/engine/models/nn/disentangledAttention';
import { relativeIndexTable, type RelativeAttentionConfig } from '../../../../../src/engine/models/nn/relativePositions';

// 8 buckets up to distance 16 (table of 16 rows): from distance 4 on, distances share log buckets, and beyond 16 they
// all read row 0 or row 15.
const rel: RelativeAttentionConfig = { buckets: 8, maxRelative: 16, span: 8, c2p: true, p2c: true, shareKey: true, normRelEmbedding: true };

function assertClose(ours: Float32Array, theirs: Float32Array, what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: sizes`);
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i]! - theirs[i]!) <= 1e-5 + 1e-5 * Math.abs(theirs[i]!), `${what}[${i}]: ${ours[i]} vs ${theirs[i]}`);
  assert.ok(theirs.some((v) => Math.abs(v) > 0.05), `${what}: not all small`);
}

const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + seed) + 0.1 * ((i * 7 + seed) % 5));

for (const [qLen, kLen, terms] of [[24, 24, 'c2p+p2c'], [1, 24, 'c2p+p2c'], [24, 24, 'c2p'], [24, 24, 'p2c'], [5, 3, 'c2p+p2c']] as const) {
  test(`disentangledBias, ${terms}, ${qLen} queries × ${kLen} keys: the fused gather and its scatter-add gradient equal the one-hot products`, async () => {
    await selectBackend('wasm');
    const [batch, heads, d] = [2, 3, 4];
    const window = relativeWindow(relativeIndexTable(rel, 0, qLen, kLen));
    if (qLen === 24) {
      // The case is the one meant: saturated ends and merged buckets.
      assert.equal(window.lo, 0);
      assert.equal(window.width, 2 * rel.span);
      assert.ok(new Set(window.index).size < qLen + kLen - 1, 'some distances share a row');
    }
    const scale = Math.sqrt(d * 3);
    tf.tidy(() => {
      const q = tf.tensor3d(values(batch * heads * qLen * d, 1), [batch * heads, qLen, d]);
      const k = tf.tensor3d(values(batch * heads * kLen * d, 2), [batch * heads, kLen, d]);
      const posK = tf.tensor2d(values(window.width * heads * d, 3), [window.width, heads * d]);
      const posQ = tf.tensor2d(values(window.width * heads * d, 4), [window.width, heads * d]);
      const weights = tf.tensor3d(Float32Array.from({ length: batch * heads * qLen * kLen }, (_, i) => Math.cos(0.7 * i)), [batch * heads, qLen, kLen]);
      const f = (oneHot: boolean) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, e: tf.Tensor): tf.Tensor =>
        disentangledBias(a as tf.Tensor3D, b as tf.Tensor3D, terms.includes('c2p') ? (c as tf.Tensor2D) : null, terms.includes('p2c') ? (e as tf.Tensor2D) : null, window, batch, heads, scale, oneHot);
      // The zero terms keep every input on the tape when a term does not read it (tf.grads needs that).
      const loss = (oneHot: boolean) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, e: tf.Tensor): tf.Scalar =>
        tf.addN([tf.sum(tf.mul(f(oneHot)(a, b, c, e), weights)), ...[a, b, c, e].map((t) => tf.mul(tf.sum(t), 0))]) as tf.Scalar;
      assertClose(f(false)(q, k, posK, posQ).dataSync() as Float32Array, f(true)(q, k, posK, posQ).dataSync() as Float32Array, 'values');
      const ours = tf.grads(loss(false))([q, k, posK, posQ]);
      const theirs = tf.grads(loss(true))([q, k, posK, posQ]);
      // q and posKey feed c2p only, k and posQuery p2c only (the other term's gradients are zero on both sides).
      const reads = [terms.includes('c2p'), terms.includes('p2c'), terms.includes('c2p'), terms.includes('p2c')];
      ['q', 'k', 'posKey', 'posQuery'].forEach((name, n) => {
        if (!reads[n]) return;
        assertClose(ours[n]!.dataSync() as Float32Array, theirs[n]!.dataSync() as Float32Array, `gradient of ${name}`);
      });
    });
  });
}
