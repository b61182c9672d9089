// The curated model list: `usable` says exactly whether the engine implements the checkpoint's model_type (so the
// list cannot claim a family that is not built), and `models --recommended` prints every entry with its facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { recommendedModels } from '../../../../src/protocol/recommendedModels';
import { supportedModelTypes } from '../../../../src/engine/classifier/createClassifier';
import { runCliCapture } from '../../../helpers/runCliCapture';

test('a recommended model is usable exactly when its model_type is implemented', () => {
  const supported = new Set(supportedModelTypes());
  for (const m of recommendedModels) {
    assert.equal(m.usable, supported.has(m.modelType), `${m.id} (${m.modelType}) usable=${m.usable}`);
    assert.equal(m.notUsableBecause === undefined, m.usable, `${m.id} says why when it is not usable`);
  }
  // The checkpoints and the named extras are all listed.
  for (const id of ['roberta-base', 'distilroberta-base', 'xlm-roberta-base', 'google/electra-base-discriminator', 'microsoft/deberta-v3-small',
    'microsoft/deberta-v3-base', 'answerdotai/ModernBERT-base', 'distilbert-base-uncased', 'bert-base-uncased', 'sentence-transformers/all-MiniLM-L6-v2']) {
    assert.ok(recommendedModels.some((m) => m.id === id), `${id} is listed`);
  }
  assert.ok(recommendedModels.some((m) => m.parametersM < 10), 'a tiny one is listed');
});

test('models --recommended prints each model with family, parameters, download size, languages and usability', async () => {
  const r = await runCliCapture(['models', '--recommended'], tmpdir());
  assert.equal(r.code, 0, r.stderr);
  for (const m of recommendedModels) {
    const line = r.stdout.split("\n").find((l) => l.trimStart().startsWith(`${m.id} `));
    assert.ok(line, `${m.id} is printed`);
    assert.match(line, new RegExp(`${m.family.replace(/[()]/g, '\\$&')}.*${m.parametersM}M.*≈.*${m.languages.replace(/[()]/g, '\\$&')}.*${m.usable ? 'yes' : 'no: '}`));
  }
  const json = await runCliCapture(['models', '--recommended', '--json'], tmpdir());
  assert.deepEqual(JSON.parse(json.stdout).models, recommendedModels);
});
