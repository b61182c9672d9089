// Unusable model folders fail with an EngineError that names the file and says what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBertModel } from '../../../../../src/engine/models/bert/loadBertModel';
import { EngineError } from '../../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../../src/protocol/errors';
import { writeTinyBertFolder } from './tinyBertFolder';

async function rejectsWith(dir: string, file: RegExp, detail: RegExp): Promise<void> {
  await assert.rejects(loadBertModel(dir, 2), (err: unknown) => {
    assert.ok(err instanceof EngineError, `an EngineError, got ${String(err)}`);
    assert.equal(err.code, EngineErrorCodes.invalidModel);
    assert.match(err.data.file ?? '', file);
    assert.match(err.data.detail, detail);
    return true;
  });
}

test('a missing tensor is named with the file', async () => {
  const dir = await writeTinyBertFolder('bert', { mutate: (t) => t.delete('bert.encoder.layer.0.attention.self.key.weight') });
  await rejectsWith(dir, /model\.safetensors$/, /lack tensor "bert\.encoder\.layer\.0\.attention\.self\.key\.weight"/);
});

test('a wrongly shaped tensor is named with both shapes', async () => {
  const dir = await writeTinyBertFolder('bert', { mutate: (t) => t.set('bert.pooler.dense.weight', { shape: [16, 8], data: new Float32Array(128) }) });
  await rejectsWith(dir, /model\.safetensors$/, /"bert\.pooler\.dense\.weight" has shape \[16, 8\] but config\.json implies \[16, 16\]/);
});

test('weights of a deeper model than config.json says are reported as unexpected tensors', async () => {
  const dir = await writeTinyBertFolder('bert', { layers: 2, configPatch: { num_hidden_layers: 1 } });
  await rejectsWith(dir, /model\.safetensors$/, /Unexpected tensors "bert\.encoder\.layer\.1\./);
});

test('pre-training heads of a base checkpoint are ignored, a missing pooler is initialised', async () => {
  const dir = await writeTinyBertFolder('bert', {
    mutate: (t) => {
      t.set('cls.predictions.bias', { shape: [25], data: new Float32Array(25) });
      t.delete('bert.pooler.dense.weight');
      t.delete('bert.pooler.dense.bias');
    },
  });
  const model = await loadBertModel(dir, 3);
  assert.deepEqual(model.initialised.sort(), ['classifier.bias', 'classifier.weight', 'pooler.dense.bias', 'pooler.dense.weight']);
});

test('an unknown architecture or model_type is refused with what is supported', async () => {
  const dir = await writeTinyBertFolder('bert');
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }));
  await rejectsWith(dir, /config\.json$/, /Unsupported model_type "gpt2".*"bert", "distilbert", "roberta", "xlm-roberta", "camembert", "electra"/);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, architectures: ['GPT2LMHeadModel'] }));
  await rejectsWith(dir, /config\.json$/, /Unsupported architecture GPT2LMHeadModel/);
});

test('a folder whose only pytorch_model.bin is not a torch.save file says so; a missing config.json is named', async () => {
  const dir = await writeTinyBertFolder('bert');
  rmSync(join(dir, 'model.safetensors'));
  writeFileSync(join(dir, 'pytorch_model.bin'), 'not really a pickle');
  await rejectsWith(dir, /pytorch_model\.bin$/, /not a PyTorch weights file/);
  rmSync(join(dir, 'config.json'));
  await rejectsWith(dir, /config\.json$/, /config\.json/);
});
