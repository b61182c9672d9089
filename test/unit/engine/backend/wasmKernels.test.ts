// Copy-free Identity/Cast on wasm (wasmKernels.ts): clones share the heap buffer under a reference count, each
// tensor stays readable after the other is disposed, real conversions still convert, gradients through clones
// are unchanged, readFloats reads a tensor in place, and filledFloatTensor writes a new one in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { filledFloatTensor, readFloats } from '../../../../src/engine/backend/wasmKernels';

test('a clone shares its source buffer and outlives it; the buffer is freed with the last of them', async () => {
  await selectBackend('wasm');
  const before = tf.memory().numDataBuffers;
  const x = tf.tensor1d([1, 2, 3, 4]);
  const y = tf.clone(x);
  const z = tf.cast(x, 'float32');
  assert.equal(tf.memory().numDataBuffers - before, 1, 'one buffer for all three tensors');
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1, 2, 3, 4]);
  y.dispose();
  assert.deepEqual([...z.dataSync()], [1, 2, 3, 4]);
  z.dispose();
  assert.equal(tf.memory().numDataBuffers, before);
});

test('a cast that changes dtype still converts (float → int truncates, int → float)', async () => {
  await selectBackend('wasm');
  tf.tidy(() => {
    assert.deepEqual([...tf.cast(tf.tensor1d([1.7, -2.2, 3]), 'int32').dataSync()], [1, -2, 3]);
    assert.deepEqual([...tf.cast(tf.tensor1d([5, -6], 'int32'), 'float32').dataSync()], [5, -6]);
    assert.equal(tf.cast(tf.tensor1d([5, -6], 'int32'), 'float32').dtype, 'float32');
  });
});

test('gradients through a custom gradient that saves (clones) its inputs are those of the formula', async () => {
  await selectBackend('wasm');
  tf.tidy(() => {
    // f(x, w) = sum((x·w)²) with saved x, w: df/dx = 2(x·w)·wᵀ, df/dw = xᵀ·2(x·w).
    const square = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x, w]);
      const y = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
      return { value: y, gradFunc: (dy: tf.Tensor, [sx, sw]: tf.Tensor[]) => [tf.matMul(dy as tf.Tensor2D, sw as tf.Tensor2D, false, true), tf.matMul(sx as tf.Tensor2D, dy as tf.Tensor2D, true, false)] };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const w = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(square(a, b))))([x, w]);
    const y = tf.matMul(x, w);
    const dy = tf.mul(y, 2);
    assert.deepEqual([...dx.dataSync()], [...tf.matMul(dy, w, false, true).dataSync()]);
    assert.deepEqual([...dw.dataSync()], [...tf.matMul(x, dy, true, false).dataSync()]);
    assert.deepEqual([...x.dataSync()], [1, 2, 3, 4], 'the source is untouched');
  });
});

test('readFloats reads a tensor in place, equal to dataSync', async () => {
  await selectBackend('wasm');
  tf.tidy(() => {
    const t = tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(0.5));
    assert.deepEqual([...readFloats(t)], [...t.dataSync()]);
    assert.deepEqual([...readFloats(tf.reshape(t, [3, 1]))], [1.5, 2.5, 3.5]);
  });
});

test('filledFloatTensor fills a new heap tensor in place: its values are what fill wrote, one buffer, freed on dispose', async () => {
  await selectBackend('wasm');
  const before = tf.memory().numDataBuffers;
  const t = filledFloatTensor([3, 5], (values) => {
    assert.equal(values.length, 15);
    for (let i = 0; i < values.length; i++) values[i] = i * 0.5 - 2;
  });
  assert.deepEqual(t.shape, [3, 5]);
  assert.equal(t.dtype, 'float32');
  assert.equal(tf.memory().numDataBuffers - before, 1);
  assert.deepEqual([...t.dataSync()], Array.from({ length: 15 }, (_, i) => i * 0.5 - 2));
  const sum = tf.add(t, 1);
  assert.deepEqual([...sum.dataSync()], Array.from({ length: 15 }, (_, i) => i * 0.5 - 1));
  sum.dispose();
  t.dispose();
  assert.equal(tf.memory().numDataBuffers, before);
});
