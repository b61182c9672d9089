// Native element-wise kernels (ONNX Runtime's behind fastOps.geluErf on wasm): GELU and its gradient equal a JS
// reference and the wasm path, go native only for big tensors with native kernels on, and leave tfjs alone otherwise.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { disableNativeMatMul, enableNativeMatMul } from '../../../../src/engine/backend/nativeMatMul';
import { nativeGeluErf, nativeGeluErfGrad } from '../../../../src/engine/backend/nativeElementwise';
import { geluErf } from '../../../../src/engine/models/nn/fastOps';
import { SeededRandom } from '../../../../src/engine/seededRandom';
import { nodePackage, testsNeeding } from '../../../helpers/requirements';

const test = testsNeeding(nodePackage('onnxruntime-node'));

/** Values in [-6, 6) from a fixed seed (GELU's interesting range and both tails). */
function values(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.next() * 12 - 6);
}

/** erf by its Maclaurin series (|x| < 3) or continued fraction of erfc: double precision, independent of both kernels. */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
}

const gelu = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluGrad = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI);

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

/** GELU and dy·GELU'(x) through fastOps.geluErf (whichever path it takes). */
function geluAndGrad(x: Float32Array, dy: Float32Array, shape: [number, number]): { y: Float32Array; dx: Float32Array } {
  return tf.tidy(() => {
    const xt = tf.tensor2d(x, shape);
    const y = geluErf(xt).dataSync() as Float32Array;
    const dx = tf.grad((v: tf.Tensor) => geluErf(v))(xt, tf.tensor2d(dy, shape)).dataSync() as Float32Array;
    return { y, dx };
  });
}

test('native GELU and its gradient match an independent reference and the wasm path', async () => {
  await selectBackend('wasm');
  const shape: [number, number] = [96, 320];
  const x = values(shape[0] * shape[1], 1);
  const dy = values(x.length, 2);
  const want = { y: x.map(gelu), dx: x.map((v, i) => dy[i] * geluGrad(v)) };
  const wasm = geluAndGrad(x, dy, shape);
  assert.equal(enableNativeMatMul(2), undefined, 'onnxruntime-node is a dependency and must load');
  const native = geluAndGrad(x, dy, shape);
  const inputs = tf.tensor2d(x, shape);
  const direct = nativeGeluErf(inputs);
  assert.ok(direct, 'a tensor of 30,720 elements goes native');
  direct.dispose();
  const small = tf.tensor1d(x.subarray(0, 100));
  assert.equal(nativeGeluErf(small), undefined, 'small tensors stay on wasm');
  assert.equal(nativeGeluErfGrad(small, tf.tensor1d(dy.subarray(0, 99))), undefined, 'mismatched sizes are refused');
  disableNativeMatMul();
  assert.equal(nativeGeluErf(inputs), undefined, 'native kernels off: tfjs ops');
  for (const [name, got] of [['native', native], ['wasm', wasm]] as const) {
    assert.ok(maxDiff(got.y, want.y) < 2e-5, `${name} GELU: ${maxDiff(got.y, want.y)}`);
    assert.ok(maxDiff(got.dx, want.dx) < 2e-5, `${name} gradient: ${maxDiff(got.dx, want.dx)}`);
  }
  assert.ok(maxDiff(native.y, wasm.y) < 2e-5 && maxDiff(native.dx, wasm.dx) < 2e-5);
});
