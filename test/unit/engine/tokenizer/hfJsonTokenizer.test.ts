// tokenizer.json files that are not plain BERT go through @huggingface/tokenizers; broken ones are clear errors.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { EngineError } from '../../../../src/engine/errors';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const sharedModel = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));

test('a tokenizer.json beyond plain BERT (a Sequence pre-tokenizer) uses the library, with the same ids here', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-tokjson-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const json = JSON.parse(readFileSync(join(sharedModel, 'tokenizer.json'), 'utf8'));
  json.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'BertPreTokenizer' }] };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  copyFileSync(join(sharedModel, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
  const library = await loadTokenizer(dir);
  const plain = await loadTokenizer(sharedModel);
  assert.equal(library.implementation, '@huggingface/tokenizers');
  assert.equal(plain.implementation, 'wordpiece');
  for (const text of ['Hello, World!', "i didn't feel humiliated", 'Café [SEP] 你好', '']) {
    assert.deepEqual(library.encode(text), plain.encode(text), text);
  }
  const batch = library.encodeBatch(['a b c d e f', 'hi'], { maxLength: 4 });
  assert.deepEqual(Array.from(batch.inputIds), [101, 1037, 1038, 102, 101, 7632, 102, 0]);
  assert.deepEqual(Array.from(batch.attentionMask), [1, 1, 1, 1, 1, 1, 1, 0]);
});

test('a corrupt or unsupported tokenizer.json is an error naming it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-tokjson-bad-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tokenizer.json'), '{"model": ');
  await assert.rejects(loadTokenizer(dir), (err: unknown) => err instanceof EngineError && err.data.file === join(dir, 'tokenizer.json') && /not valid JSON/.test(err.message));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'NoSuchModel' } }));
  await assert.rejects(loadTokenizer(dir), (err: unknown) => err instanceof EngineError && err.data.file === join(dir, 'tokenizer.json') && /cannot build a tokenizer/.test(err.message));
});
