// Backend choice: auto falls back to wasm here (the native tfjs-node packages are optional and not installed)
// and says why; asking explicitly for a backend that cannot load is a clear, fixable error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, selectBackendOrFallback } from '../../../../src/engine/backend/selectBackend';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';

const hasNative = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((p) => {
  try {
    createRequire(__filename).resolve(p);
    return true;
  } catch {
    return false;
  }
});

test('auto picks wasm and explains why the native backends were skipped', { skip: hasNative && 'a native tfjs backend is installed' }, async () => {
  const chosen = await selectBackend('auto');
  assert.equal(chosen.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(chosen.note ?? '', /tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed/);
  assert.match(chosen.note ?? '', /tensorflow: @tensorflow\/tfjs-node is not installed/);
  // The wasm backend computes (binaries found from sources as well as from dist/wasm).
  assert.deepEqual(Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()), [11]);
});

test('an explicitly requested backend that cannot load is an invalid-option error', { skip: hasNative && 'a native tfjs backend is installed' }, async () => {
  await assert.rejects(selectBackend('tensorflow'), (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.equal(err.code, EngineErrorCodes.invalidOption);
    assert.match(err.message, /tensorflow backend cannot be used.*--backend auto or wasm/);
    assert.match(err.data.editorDetail ?? '', /Set the "Classifier Workbench › Engine: Backend" setting to auto or wasm/, 'VS Code names the setting');
    return true;
  });
});

test('cpu can be chosen explicitly', async () => {
  const chosen = await selectBackend('cpu');
  assert.equal(chosen.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('with fallback, a requested backend that cannot load gives way to the best available one, saying why in one line', { skip: hasNative && 'a native tfjs backend is installed' }, async () => {
  const chosen = await selectBackendOrFallback('tensorflow', true);
  // The best available one: wasm, or the backend this process already chose (an earlier test picks cpu).
  assert.ok(chosen.name === 'wasm' || chosen.name === tf.getBackend(), chosen.name);
  assert.match(chosen.note ?? '', new RegExp(`^The tensorflow backend cannot be used \\(@tensorflow/tfjs-node is not installed[^]*\\); using ${chosen.name} instead`));
  assert.doesNotMatch(chosen.note ?? '', /--backend/, 'the fallback line names no CLI option');
  // Without fallback the request stays a demand, as on the command line.
  await assert.rejects(selectBackendOrFallback('tensorflow-gpu', false), /tensorflow-gpu backend cannot be used/);
});
