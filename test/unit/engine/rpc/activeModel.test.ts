// Deleting a run releases the active model loaded from it: predictions then say there is no active model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActiveModel } from '../../../../src/engine/rpc/activeModel';
import type { PredictorThread } from '../../../../src/engine/rpc/predictorThread';
import { EngineErrorCodes } from '../../../../src/protocol/errors';

function fakeThreads() {
  const disposed: string[] = [];
  const start = (path: string): PredictorThread => ({
    ready: Promise.resolve({ labels: ['a', 'b'] }),
    predict: async (texts) => new Float32Array(texts.flatMap(() => [0.25, 0.75])),
    onDeath: () => undefined,
    dispose: () => void disposed.push(path),
  });
  return { start, disposed };
}

test('releaseFrom releases a model loaded from the folder or inside it, and nothing else', async () => {
  const { start, disposed } = fakeThreads();
  const model = new ActiveModel(start);
  await model.set('/runs/a/checkpoints/best');
  assert.equal(model.releaseFrom('/runs/b'), false, 'another run');
  assert.equal(model.releaseFrom('/runs/a-longer'), false, 'a folder whose name only starts the same');
  assert.equal((await model.predict({ texts: ['x'] })).predictions[0]!.label, 'b');
  assert.equal(model.releaseFrom('/runs/a'), true);
  assert.deepEqual(disposed, ['/runs/a/checkpoints/best']);
  await assert.rejects(model.predict({ texts: ['x'] }), (e: { code?: number }) => e.code === EngineErrorCodes.noActiveModel);

  await model.set('/runs/c');
  assert.equal(model.releaseFrom('/runs/c/'), true, 'the run folder itself');
});

test('set returns the run\'s abstain threshold and per-class thresholds the model thread read, for the hover', async () => {
  const start = (): PredictorThread => ({
    ready: Promise.resolve({ labels: ['a', 'b'], uncertaintyThreshold: 0.6, uncertaintyThresholds: [0.55, 0.8] }),
    predict: async (texts) => new Float32Array(texts.flatMap(() => [0.25, 0.75])),
    onDeath: () => undefined,
    dispose: () => undefined,
  });
  assert.deepEqual(await new ActiveModel(start).set('/runs/r'), { path: '/runs/r', labels: ['a', 'b'], uncertaintyThreshold: 0.6, uncertaintyThresholds: [0.55, 0.8] });
});
