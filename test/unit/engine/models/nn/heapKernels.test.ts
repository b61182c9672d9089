// The fused wasm kernels (backend/heapKernels.ts) equal the tfjs compositions they replace, values and gradients:
// the gated activation of ModernBERT's MLP (nn/gatedActivation.ts) and the rotary attention inputs
// (nn/rotaryHeads.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { gatedActivation, type GateActivation } from '../../../../../src/engine/models/nn/gatedActivation';
import { rotaryHeads } from '../../../../../src/engine/models/nn/rotaryHeads';
import { applyRotary, rotaryTables } from '../../../../../src/engine/models/nn/rotary';

function assertClose(ours: Float32Array | Int32Array | Uint8Array, theirs: Float32Array | Int32Array | Uint8Array, what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: sizes`);
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) <= 2e-6 + 2e-5 * Math.abs(theirs[i]), `${what}[${i}]: ${ours[i]} vs ${theirs[i]}`);
  assert.ok(theirs.some((v) => Math.abs(v) > 0.05), `${what}: not all small`);
}

/** Values and gradients of `f` and `g` on the same input, weighted by a fixed pattern per output. */
function compare(x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor[], g: (x: tf.Tensor) => tf.Tensor[], what: string): void {
  tf.tidy(() => {
    const outs = g(x);
    const weights = outs.map((o, k) => tf.tensor(Float32Array.from({ length: o.size }, (_, i) => Math.cos(0.7 * i + k)), o.shape));
    const loss = (h: typeof f) => (t: tf.Tensor): tf.Scalar => tf.addN(h(t).map((o, k) => tf.sum(tf.mul(o, weights[k]!)))) as tf.Scalar;
    f(x).forEach((o, k) => assertClose(o.dataSync() as Float32Array, outs[k]!.dataSync() as Float32Array, `${what} output ${k}`));
    assertClose(tf.grad(loss(f))(x).dataSync() as Float32Array, tf.grad(loss(g))(x).dataSync() as Float32Array, `${what} gradient`);
  });
}

const erfGelu = (a: tf.Tensor): tf.Tensor => tf.mul(tf.mul(a, 0.5), tf.add(tf.erf(tf.mul(a, Math.SQRT1_2)), 1));
const activations: Record<GateActivation, (a: tf.Tensor) => tf.Tensor> = {
  gelu: erfGelu,
  gelu_tanh: (a) => tf.mul(tf.mul(a, 0.5), tf.add(tf.tanh(tf.mul(tf.add(a, tf.mul(tf.pow(a, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1)),
  silu: (a) => tf.mul(a, tf.sigmoid(a)),
  relu: (a) => tf.relu(a),
};

for (const kind of Object.keys(activations) as GateActivation[]) {
  test(`gatedActivation (${kind}): act(a) ⊙ g and its gradient equal the sliced tfjs composition`, async () => {
    await selectBackend('wasm');
    const [n, m] = [5, 12];
    const x = tf.tensor2d(Float32Array.from({ length: n * 2 * m }, (_, i) => 3 * Math.sin(1.3 * i + 0.2)), [n, 2 * m]);
    const composed = (t: tf.Tensor): tf.Tensor[] => [tf.mul(activations[kind](tf.slice(t, [0, 0], [n, m])), tf.slice(t, [0, m], [n, m]))];
    compare(x, (t) => [gatedActivation(kind, t as tf.Tensor2D, activations[kind])], composed, kind);
    x.dispose();
  });
}

test('rotaryHeads: the fused Wqkv split, rotation, query scale and key transpose equal the tfjs composition, gradients included', async () => {
  await selectBackend('wasm');
  const [B, T, heads, d] = [2, 5, 3, 8];
  const h = heads * d;
  const theta = 10000;
  const scale = 1 / Math.sqrt(d);
  const tables = rotaryTables(T, d, theta);
  const x = tf.tensor2d(Float32Array.from({ length: B * T * 3 * h }, (_, i) => Math.sin(0.37 * i) + 0.1 * (i % 7)), [B * T, 3 * h]);
  const composed = (t: tf.Tensor): tf.Tensor[] => {
    const cos = tf.tensor2d(tables.cos, [T, d]);
    const sin = tf.tensor2d(tables.sin, [T, d]);
    const split = (k: number): tf.Tensor => tf.transpose(tf.reshape(tf.slice(t, [0, k * h], [B * T, h]), [B, T, heads, d]), [0, 2, 1, 3]);
    return [
      tf.reshape(tf.mul(applyRotary(split(0), cos, sin), scale), [B * heads, T, d]),
      tf.reshape(tf.transpose(applyRotary(split(1), cos, sin), [0, 1, 3, 2]), [B * heads, d, T]),
      tf.reshape(split(2), [B * heads, T, d]),
    ];
  };
  const fused = (t: tf.Tensor): tf.Tensor[] => {
    const { q, kT, v } = rotaryHeads(t as tf.Tensor2D, tables, B, T, heads, scale);
    return [q, kT, v];
  };
  compare(x, fused, composed, 'rotaryHeads');
  x.dispose();
});
