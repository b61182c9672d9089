// The dashboard header's model-size line comes from run.json's `model` record (parameters, trained parameters,
// the engine's training-memory estimate); older runs and n-gram runs without an estimate show what they have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeModelSize } from '../../../../src/extension/webviews/runFiles';

test('a BERT run shows parameters, trained parameters and the memory estimate', () => {
  assert.equal(describeModelSize({ kind: 'bert', parameters: 109486854, trainableParameters: 299526, memory: { estimatedBytes: 3.3e9, summary: '…' } }),
    '109.5M parameters · 299,526 trained · ~3.3 GB estimated training memory');
});

test('runs without an estimate or without a model record', () => {
  assert.equal(describeModelSize({ kind: 'ngram', parameters: 54321, trainableParameters: 54321 }), '54,321 parameters · 54,321 trained');
  assert.equal(describeModelSize(undefined), null);
  assert.equal(describeModelSize('bert'), null);
  assert.equal(describeModelSize({ parameters: 'many' }), null);
});
