// Model folder validation: a good folder passes; each broken folder names the file and says what to do.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateModelFolder } from '../../../../src/engine/hub/modelFolder';
import { writeSafetensors } from '../../../../src/engine/tensorFiles/safetensors';
import { EngineError } from '../../../../src/engine/errors';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const sharedModel = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));

/** A copy of the small files of the shared model plus tiny safetensors weights, so tests stay fast. */
async function makeFolder(t: { after(fn: () => void): void }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['config.json', 'tokenizer.json', 'vocab.txt', 'tokenizer_config.json']) copyFileSync(join(sharedModel, f), join(dir, f));
  await writeSafetensors(join(dir, 'model.safetensors'), { w: { shape: [2], data: new Float32Array(2) } });
  return dir;
}

async function expectInvalid(dir: string, file: string, message: RegExp): Promise<void> {
  await assert.rejects(validateModelFolder(dir), (err: unknown) => {
    assert.ok(err instanceof EngineError, String(err));
    assert.equal(err.data.file, file);
    assert.match(err.message, message);
    return true;
  });
}

test('the shared model folder is valid and lists its weights and tokenizer', async () => {
  const folder = await validateModelFolder(sharedModel);
  assert.deepEqual(folder.weightFiles, [join(sharedModel, 'model.safetensors')]);
  assert.equal(folder.tokenizer, 'tokenizer.json');
  assert.equal(folder.config.model_type, 'bert');
});

test('missing folder, config.json, weights and tokenizer files are named with what to do', async (t) => {
  await expectInvalid(join(tmpdir(), 'no-such-model-folder-xyz'), join(tmpdir(), 'no-such-model-folder-xyz'), /model folder not found/);
  const dir = await makeFolder(t);
  unlinkSync(join(dir, 'tokenizer.json'));
  assert.equal((await validateModelFolder(dir)).tokenizer, 'vocab.txt');
  unlinkSync(join(dir, 'vocab.txt'));
  await expectInvalid(dir, dir, /no tokenizer files.*tokenizer\.json, vocab\.txt, vocab\.json with merges\.txt, or spm\.model/);
  writeFileSync(join(dir, 'config.json'), '{"model_type": ');
  await expectInvalid(dir, join(dir, 'config.json'), /not valid JSON/);
  unlinkSync(join(dir, 'config.json'));
  await expectInvalid(dir, join(dir, 'config.json'), /config\.json is missing/);
});

test('.bin-only weights are listed for the restricted reader; corrupt safetensors and missing shards are named', async (t) => {
  const dir = await makeFolder(t);
  writeFileSync(join(dir, 'model.safetensors'), Buffer.from('<html>Not found</html>'));
  await expectInvalid(dir, join(dir, 'model.safetensors'), /header length .* does not fit/);
  unlinkSync(join(dir, 'model.safetensors'));
  await expectInvalid(dir, join(dir, 'model.safetensors'), /model\.safetensors is missing/);
  writeFileSync(join(dir, 'pytorch_model.bin'), Buffer.from([0x80, 0x02]));
  assert.deepEqual(await validateModelFolder(dir).then((f) => [f.weightFormat, f.weightFiles]), ['pytorch', [join(dir, 'pytorch_model.bin')]]);
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' } }));
  await writeSafetensors(join(dir, 'model-00001-of-00002.safetensors'), { a: { shape: [1], data: new Float32Array(1) } });
  await expectInvalid(dir, join(dir, 'model-00002-of-00002.safetensors'), /shard .* is missing/);
  await writeSafetensors(join(dir, 'model-00002-of-00002.safetensors'), { b: { shape: [1], data: new Float32Array(1) } });
  const folder = await validateModelFolder(dir);
  assert.deepEqual(folder.weightFiles, [join(dir, 'model-00001-of-00002.safetensors'), join(dir, 'model-00002-of-00002.safetensors')]);
});
