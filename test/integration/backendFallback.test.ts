// The extension's Engine: Backend setting promises a fallback when the chosen backend is not installed: a run
// asked for with `backendFallback` trains on the best available backend and its log says why; the CLI's
// `--backend` (no fallback) still refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { trainRun } from '../../src/engine/train/runTraining';
import { readRun } from '../../src/engine/runs/runStore';
import type { TrainEvent } from '../../src/protocol/train';
import { needs, shared, sharedPath } from '../helpers/requirements';
import { writeTinyDataset } from './trainFixture';

const tfjsNodeInstalled = (() => {
  try {
    createRequire(__filename).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

test('a run whose requested backend is not installed falls back with one clear line, when asked to', { ...needs(shared('models/bert-tiny-random')), skip: tfjsNodeInstalled && '@tensorflow/tfjs-node is installed here' }, async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    const events: TrainEvent[] = [];
    const model = sharedPath('models', 'bert-tiny-random');
    const result = await trainRun({ dataset: train, model, epochs: 1, batchSize: 16, backend: 'tensorflow', backendFallback: true }, { onEvent: (e) => events.push(e) });
    assert.equal(result.state, 'completed');
    assert.match((await readRun(result.runDir)).backend ?? '', /^wasm/);
    const modelLine = events.find((e): e is Extract<TrainEvent, { type: 'log' }> => e.type === 'log' && e.message.startsWith('model: '));
    assert.match(modelLine?.message ?? '', /backend wasm.*\(The tensorflow backend cannot be used \(@tensorflow\/tfjs-node is not installed[^]*using wasm instead/);

    const refused = await trainRun({ dataset: train, model, epochs: 1, batchSize: 16, backend: 'tensorflow' }).catch((e: unknown) => e);
    const message = refused instanceof Error ? refused.message : JSON.stringify(refused);
    assert.match(message, /tensorflow backend cannot be used/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
