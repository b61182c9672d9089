import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTrainConfig } from '../../../../src/extension/commands/fineTuneCommand';

const hyperparameters = { epochs: 4, batchSize: 8, learningRate: null, maxLength: 64, patience: 0, validationSplit: 0.2 };

test('the run/start config carries the choice, the backend and the runs folder; an unset learning rate is left to the engine', () => {
  const config = toTrainConfig('/w/train.jsonl', { model: 'ngram', mode: 'full', hyperparameters, customised: true }, 'wasm', '/w/.classifier-workbench/runs');
  assert.deepEqual(config, {
    dataset: '/w/train.jsonl', model: 'ngram', mode: 'full', backend: 'wasm', runsDir: '/w/.classifier-workbench/runs',
    epochs: 4, batchSize: 8, maxLength: 64, patience: 0, validationSplit: 0.2,
  });
  assert.equal(toTrainConfig('/d.jsonl', { model: 'm', mode: 'lora', hyperparameters: { ...hyperparameters, learningRate: 1e-4 }, customised: true }, 'auto', '/r').learningRate, 1e-4);
});
