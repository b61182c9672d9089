// fastOps' hand-written gradients equal autograd's on the same formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { geluErf } from '../../../../../src/engine/models/nn/fastOps';

test('geluErf: the erf-form GELU, its value and its hand-written gradient equal autograd of 0.5·x·(1 + erf(x/√2))', async () => {
  await selectBackend('wasm');
  const xs = Float32Array.from({ length: 64 }, (_, i) => (i - 32) / 6);
  const dy = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));
  const formula = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  tf.tidy(() => {
    const x = tf.tensor2d(xs, [8, 8]);
    const w = tf.tensor2d(dy, [8, 8]);
    const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(geluErf(t), w)))(x);
    const theirs = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(formula(t), w)))(x);
    assert.deepEqual(Array.from(geluErf(x).dataSync()), Array.from(formula(x).dataSync()), 'the same forward computation');
    const [g, h] = [ours.grad.dataSync(), theirs.grad.dataSync()];
    for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i] - h[i]) <= 1e-6 + 1e-5 * Math.abs(h[i]), `x = ${xs[i]}: ${g[i]} vs ${h[i]}`);
    assert.ok(h.some((v) => Math.abs(v) > 0.1), 'gradients are not all small');
  });
});
