import './useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, readSettings, resolveRunsFolder, runsFolderForDataset } from '../../../src/extension/settings';

const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

test('missing settings take the documented defaults', () => {
  assert.deepEqual(readSettings(reader({})), defaultSettings);
});

test('valid values pass; junk falls back per key instead of failing the whole read', () => {
  const s = readSettings(reader({
    'engine.backend': 'wasm', defaultModel: ' google/bert_uncased_L-2_H-128_A-2 ', defaultMode: 'lora',
    'training.epochs': 0, 'training.batchSize': 32, 'training.learningRate': 3e-5, 'training.validationSplit': 0.6,
    'hover.enabled': 'yes', 'hover.languages': ['plaintext', 3], uncertaintyThreshold: 0.7,
  }));
  assert.equal(s.backend, 'wasm');
  assert.equal(s.defaultModel, 'google/bert_uncased_L-2_H-128_A-2');
  assert.equal(s.defaultMode, 'lora');
  assert.equal(s.hyperparameters.epochs, null, 'epochs 0 is junk: the engine default applies');
  assert.equal(s.hyperparameters.batchSize, 32);
  assert.equal(s.hyperparameters.learningRate, 3e-5);
  assert.equal(s.hyperparameters.validationSplit, 0.1, 'validation + test cannot take more than the data');
  assert.equal(s.hoverEnabled, true);
  assert.deepEqual(s.hoverLanguages, defaultSettings.hoverLanguages);
  assert.equal(s.uncertaintyThreshold, 0.7);
  assert.equal(readSettings(reader({ 'engine.backend': 'cuda', defaultModel: '' })).backend, 'auto');
  assert.equal(readSettings(reader({ defaultModel: '' })).defaultModel, 'ngram');
  assert.equal(readSettings(reader({ 'training.classWeights': ' balanced ' })).hyperparameters.classWeights, 'balanced');
  assert.equal(readSettings(reader({ 'training.classWeights': 'weights.json' })).hyperparameters.classWeights, 'weights.json');
  assert.equal(readSettings(reader({ 'training.classWeights': 3 })).hyperparameters.classWeights, 'none');
  assert.equal(readSettings(reader({ 'training.classWeights': '  ' })).hyperparameters.classWeights, 'none');
});

test('runs folder: by default beside the dataset (as the CLI), else the setting relative to the workspace folder', () => {
  assert.equal(resolveRunsFolder({ runsFolder: '' }, '/w/proj/'), undefined);
  assert.equal(runsFolderForDataset({ runsFolder: '' }, '/w/proj/data/train.jsonl', '/w/proj'), '/w/proj/data/.classifier-workbench/runs');
  assert.equal(runsFolderForDataset({ runsFolder: './out/runs' }, '/w/proj/data/train.jsonl', '/w/proj/'), '/w/proj/out/runs');
  assert.equal(runsFolderForDataset({ runsFolder: 'out/runs' }, '/elsewhere/train.jsonl'), '/elsewhere/out/runs');
  assert.equal(resolveRunsFolder({ runsFolder: '/data/runs' }, '/w/proj'), '/data/runs');
  assert.equal(resolveRunsFolder({ runsFolder: 'C:\\runs' }, 'C:\\w'), 'C:\\runs');
});

test('dataset settings become the read options of every request; empty values mean "detect"', () => {
  assert.deepEqual(readSettings(reader({ 'dataset.textField': ' ', 'dataset.labelNames': [], 'dataset.chatContext': 'lastUser' })).dataset, {});
  assert.deepEqual(readSettings(reader({ 'dataset.textField': 'review', 'dataset.labelField': 'stars', 'dataset.labelNames': ['neg', 'pos'], 'dataset.chatContext': 'allTurns' })).dataset,
    { textField: 'review', labelField: 'stars', labelNames: ['neg', 'pos'], chatContext: 'allTurns' });
  assert.deepEqual(readSettings(reader({ 'dataset.labelNames': ['a', 'a'], 'dataset.chatContext': 'everything' })).dataset, {}, 'junk is ignored');
});
