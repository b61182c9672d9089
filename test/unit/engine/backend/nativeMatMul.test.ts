// Native matrix products (ONNX Runtime's kernels behind the wasm backend's _FusedMatMul and BatchMatMul): every
// form the engine can emit gives the same numbers as a plain JS product, small products stay on wasm, and the
// switch back restores the wasm kernels.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { disableNativeMatMul, enableNativeMatMul, nativeMatMulStatus } from '../../../../src/engine/backend/nativeMatMul';
import { SeededRandom } from '../../../../src/engine/seededRandom';
import { nodePackage, testsNeeding } from '../../../helpers/requirements';

/** onnxruntime-node is an optional dependency (its install script may fail on npm < 11): the rule of needs(). */
const test = testsNeeding(nodePackage('onnxruntime-node'));

/** Row-major values in [-1, 1) from a fixed seed. */
function values(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.next() * 2 - 1);
}

/** JS reference: op(A) [m, k] · op(B) [k, n] (+ bias), for one matrix of a batch. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean, bias?: Float32Array): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

test('dense products with every transpose and bias combination match a JS reference', async () => {
  await selectBackend('wasm');
  assert.equal(enableNativeMatMul(1), undefined, 'onnxruntime-node is a dependency and must load');
  assert.deepEqual(nativeMatMulStatus(), { threads: 1 });
  const [m, k, n] = [70, 80, 90];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      for (const withBias of [false, true]) {
        const a = values(m * k, 1);
        const b = values(k * n, 2);
        const bias = withBias ? values(n, 3) : undefined;
        const got = tf.tidy(() => tf.fused.matMul({
          a: tf.tensor2d(a, ta ? [k, m] : [m, k]), b: tf.tensor2d(b, tb ? [n, k] : [k, n]), transposeA: ta, transposeB: tb,
          bias: bias ? tf.tensor1d(bias) : undefined,
        }).dataSync());
        assert.ok(maxDiff(got, reference(a, b, m, k, n, ta, tb, bias)) < 1e-4, `transposeA=${ta} transposeB=${tb} bias=${withBias}`);
      }
    }
  }
  disableNativeMatMul();
});

test('batched products (3-D and 4-D, as attention uses them) match the reference per matrix', async () => {
  await selectBackend('wasm');
  enableNativeMatMul(2);
  const [batch, m, k, n] = [6, 40, 32, 40];
  const a = values(batch * m * k, 4);
  const b = values(batch * k * n, 5);
  const got3 = tf.tidy(() => tf.matMul(tf.tensor3d(a, [batch, m, k]), tf.tensor3d(b, [batch, k, n])).dataSync());
  const got4 = tf.tidy(() => tf.matMul(tf.tensor4d(a, [2, 3, m, k]), tf.tensor4d(b, [2, 3, k, n])));
  assert.deepEqual(got4.shape, [2, 3, m, n]);
  for (let i = 0; i < batch; i++) {
    const want = reference(a.subarray(i * m * k, (i + 1) * m * k), b.subarray(i * k * n, (i + 1) * k * n), m, k, n, false, false);
    assert.ok(maxDiff(got3.subarray(i * m * n, (i + 1) * m * n), want) < 1e-4, `matrix ${i}`);
  }
  assert.ok(maxDiff(got4.dataSync(), got3) === 0);
  got4.dispose();
  disableNativeMatMul();
});

test('small products and transposed batched products stay on wasm and are still right', async () => {
  await selectBackend('wasm');
  enableNativeMatMul(1);
  const a = values(3 * 4, 6);
  const b = values(4 * 2, 7);
  assert.ok(maxDiff(tf.tidy(() => tf.matMul(tf.tensor2d(a, [3, 4]), tf.tensor2d(b, [4, 2])).dataSync()), reference(a, b, 3, 4, 2, false, false)) < 1e-5);
  const [batch, m, k, n] = [4, 40, 50, 40];
  const x = values(batch * k * m, 8);
  const y = values(batch * k * n, 9);
  const got = tf.tidy(() => tf.matMul(tf.tensor3d(x, [batch, k, m]), tf.tensor3d(y, [batch, k, n]), true, false).dataSync());
  const want = reference(x.subarray(0, k * m), y.subarray(0, k * n), m, k, n, true, false);
  assert.ok(maxDiff(got.subarray(0, m * n), want) < 1e-4);
  disableNativeMatMul();
});

test('switching off restores the wasm kernels', async () => {
  await selectBackend('wasm');
  enableNativeMatMul(1);
  const native = tf.getKernel('_FusedMatMul', 'wasm')!.kernelFunc;
  disableNativeMatMul();
  assert.equal(nativeMatMulStatus(), undefined);
  assert.notEqual(tf.getKernel('_FusedMatMul', 'wasm')!.kernelFunc, native);
  const a = values(70 * 80, 1);
  const b = values(80 * 90, 2);
  assert.ok(maxDiff(tf.tidy(() => tf.matMul(tf.tensor2d(a, [70, 80]), tf.tensor2d(b, [80, 90])).dataSync()), reference(a, b, 70, 80, 90, false, false)) < 1e-4);
});
