// addGradInto adds a gradient tensor into the flat buffer at its offset (four at a time, then the tail), in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { addGradInto } from '../../../../../src/engine/models/nn/layerwiseGradients';

for (const n of [1, 4, 7, 10]) {
  test(`addGradInto adds ${n} values at an offset and leaves the rest of the buffer alone`, async () => {
    await selectBackend('wasm');
    const grads = Float32Array.from({ length: n + 5 }, (_, i) => i);
    const values = Array.from({ length: n }, (_, i) => 0.5 * i - 1);
    const g = tf.tensor1d(values);
    addGradInto(grads, 3, g);
    addGradInto(grads, 3, g);
    g.dispose();
    const expected = Array.from({ length: n + 5 }, (_, i) => (i >= 3 && i < 3 + n ? i + 2 * values[i - 3] : i));
    assert.deepEqual([...grads], expected);
  });
}
