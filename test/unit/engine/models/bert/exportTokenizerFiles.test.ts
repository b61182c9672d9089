// An exported BERT folder carries the same tokenizer files with or without ONNX: tokenizer.json (converted from
// vocab.txt when the model shipped only that; transformers.js reads nothing else) and a tokenizer_config.json that
// states how the engine tokenised (lower-casing, special tokens, and model_max_length 512 where the source said
// 1e30, HF's "unset"). The files load back, with our WordPiece code and with @huggingface/tokenizers, to the ids
// the run's tokenizer gives, which are the Python reference's (../shared/reference/golden-bert-tiny-random.jsonl).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClassifier } from '../../../../../src/engine/classifier/createClassifier';
import { exportClassifierOnnx } from '../../../../../src/engine/runs/exportRun';
import { writeFastTokenizerJson } from '../../../../../src/engine/tokenizer/fastTokenizerJson';
import { loadTokenizer } from '../../../../../src/engine/tokenizer/loadTokenizer';
import { shared, sharedPath, testsNeeding } from '../../../../helpers/requirements';
import { tinyTrainConfig } from './tinyBertFolder';

const sharedModel = sharedPath('models', 'bert-tiny-random');
const golden = sharedPath('reference', 'golden-bert-tiny-random.jsonl');
const test = testsNeeding(shared('models/bert-tiny-random'), shared('reference/golden-bert-tiny-random.jsonl'));

test('an export of a vocab.txt-only model has tokenizer.json and tokenizer_config.json with or without ONNX, and they tokenise as the run did', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-export-tok-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const source = join(root, 'source');
  mkdirSync(source);
  // The model as many older checkpoints ship it: no tokenizer.json, model_max_length 1e30 (unset).
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(join(sharedModel, f), join(source, f));
  assert.ok(JSON.parse(readFileSync(join(source, 'tokenizer_config.json'), 'utf8')).model_max_length > 1e20);

  const classifier = await createClassifier(tinyTrainConfig(source), ['neg', 'pos'], { purpose: 'predict' });
  t.after(() => classifier.dispose());
  const plain = join(root, 'plain');
  await classifier.exportModel(plain);
  // The ONNX export's file content, as exportRun writes it (the marker aside).
  const withOnnx = join(root, 'onnx');
  await classifier.exportModel(withOnnx);
  await exportClassifierOnnx(classifier, withOnnx, {});
  await writeFastTokenizerJson(withOnnx);
  const files = readdirSync(plain).sort();
  assert.deepEqual(files, ['config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
  assert.deepEqual(readdirSync(withOnnx).filter((f) => f !== 'onnx').sort(), files);
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) assert.equal(readFileSync(join(withOnnx, f), 'utf8'), readFileSync(join(plain, f), 'utf8'), f);

  const config = JSON.parse(readFileSync(join(plain, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(config.model_max_length, 512, 'max_position_embeddings, not 1e30');
  assert.equal(config.do_lower_case, true);
  assert.deepEqual([config.unk_token, config.cls_token, config.sep_token, config.pad_token, config.mask_token], ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]']);

  const runTokenizer = await loadTokenizer(source);
  const ours = await loadTokenizer(plain);
  const library = await loadTokenizer(plain, { implementation: 'library' });
  assert.equal(ours.modelMaxLength, 512);
  assert.equal(library.modelMaxLength, 512);
  const references = readFileSync(golden, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; input_ids: number[] });
  const texts = [
    ...references.map((r) => r.text),
    'Héllo WORLD, naïve café! 你好 ¿qué?', 'don\'t [SEP] stop', `${'word '.repeat(700)}end`,
  ];
  for (const text of texts) {
    const expected = runTokenizer.encode(text);
    assert.deepEqual(ours.encode(text), expected, text.slice(0, 40));
    assert.deepEqual(library.encode(text), expected, text.slice(0, 40));
  }
  assert.equal(ours.encode(texts.at(-1)!).length, 512, 'truncated where the model\'s positions end');
  for (const r of references) assert.deepEqual(library.encode(r.text), r.input_ids, r.text);
});
