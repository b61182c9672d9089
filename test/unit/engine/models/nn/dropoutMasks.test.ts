// Dropout on the wasm backend (masks written straight into the heap): the drop rate is p, the kept values are scaled so
// the mean is kept, the same seed gives the same mask, independent streams differ, and no tensor is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { DropoutMasks } from '../../../../../src/engine/models/nn/dropoutMasks';

test('DropoutMasks.apply drops at rate p, keeps the mean, and replays for the same seed', async () => {
  await selectBackend('wasm');
  const n = 64 * 1000;
  const x = tf.ones([64, 1000]);
  const before = tf.memory().numTensors;
  const [a, b, c] = tf.tidy(() => [new DropoutMasks(5), new DropoutMasks(5), new DropoutMasks(5).stream(1)].map((d) => d.apply(x, 0.1).dataSync() as Float32Array));
  assert.equal(tf.memory().numTensors, before, 'masks and products disposed by the scope');
  const dropped = a.filter((v) => v === 0).length / n;
  const sigma = Math.sqrt((0.1 * 0.9) / n);
  assert.ok(Math.abs(dropped - 0.1) < 4 * sigma, `dropped ${dropped}`);
  let sum = 0;
  for (const v of a) sum += v;
  const mean = sum / n;
  assert.ok(Math.abs(mean - 1) < 4 * sigma / 0.9, `mean ${mean}`);
  assert.deepEqual(a, b, 'same seed, same mask');
  assert.notDeepEqual(a, c, 'another stream, another mask');
  assert.equal(new DropoutMasks(5).apply(x, 0), x, 'p = 0 is the identity');
  x.dispose();
});
