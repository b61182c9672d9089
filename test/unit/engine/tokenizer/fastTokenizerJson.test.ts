// writeFastTokenizerJson gives a folder that ships only vocab.txt the tokenizer.json that Hugging Face's BertConverter
// would write (transformers.js, which an ONNX export is for, loads nothing else): the same pipeline as
// bert-tiny-random's own tokenizer.json, and, read by @huggingface/tokenizers (the library transformers.js tokenises
// with), the ids our vocab.txt tokenizer gives — uncased (the ELECTRA fixture) and cased.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFastTokenizerJson } from '../../../../src/engine/tokenizer/fastTokenizerJson';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { needs, shared, sharedPath } from '../../../helpers/requirements';

const electra = join(__dirname, '..', '..', '..', 'fixtures', 'families', 'electra-tiny-random');
const bertTiny = sharedPath('models', 'bert-tiny-random');

const tricky = [
  'I didnt feel humiliated', 'Héllo WORLD, naïve café!', '日本語のテキスト and 中文', 'a [MASK] here[SEP]and there',
  'supercalifragilisticexpialidociousness unknownwordpiecesxyz', '  spaces\tand\nnewlines  ', "don't stop—believin'…", '',
  'x'.repeat(120),
];

function copyWithoutTokenizerJson(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fast-tok-'));
  cpSync(from, dir, { recursive: true });
  rmSync(join(dir, 'tokenizer.json'), { force: true });
  rmSync(join(dir, 'model.safetensors'), { force: true });
  return dir;
}

function emotionTexts(n: number): string[] {
  const lines = readFileSync(sharedPath('data', 'emotion', 'validation.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  return lines.slice(0, n).map((l) => (JSON.parse(l) as { text: string }).text);
}

async function assertSameIds(dir: string, texts: readonly string[]): Promise<void> {
  const slow = await loadTokenizer(dir, { source: 'vocab.txt' });
  const library = await loadTokenizer(dir, { source: 'tokenizer.json', implementation: 'library' });
  assert.equal(library.implementation, '@huggingface/tokenizers');
  for (const text of texts) assert.deepEqual(library.encode(text, 64), slow.encode(text, 64), JSON.stringify(text));
}

test('from vocab.txt: the pipeline Hugging Face wrote for bert-tiny-random, with its vocabulary and special tokens', needs(shared('models/bert-tiny-random')), async () => {
  const dir = copyWithoutTokenizerJson(bertTiny);
  try {
    assert.equal(await writeFastTokenizerJson(dir), true);
    const ours = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
    const theirs = JSON.parse(readFileSync(join(bertTiny, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder', 'model']) assert.deepEqual(ours[key], theirs[key], key);
    const ids = (json: Record<string, unknown>): [number, string][] => (json.added_tokens as { id: number; content: string }[]).map((t) => [t.id, t.content]);
    assert.deepEqual(ids(ours), ids(theirs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('from vocab.txt: @huggingface/tokenizers on the written file gives our vocab.txt ids (ELECTRA, uncased; and cased)', needs(shared('data/emotion')), async () => {
  const dir = copyWithoutTokenizerJson(electra);
  try {
    assert.equal(await writeFastTokenizerJson(dir), true);
    const texts = [...tricky, ...emotionTexts(300)];
    await assertSameIds(dir, texts);

    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, do_lower_case: false }));
    rmSync(join(dir, 'tokenizer.json'));
    assert.equal(await writeFastTokenizerJson(dir), true);
    await assertSameIds(dir, texts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an existing tokenizer.json is kept; vocab.txt with do_basic_tokenize false (not expressible) writes nothing', async () => {
  const dir = copyWithoutTokenizerJson(electra);
  try {
    writeFileSync(join(dir, 'tokenizer.json'), '{"mine": true}');
    assert.equal(await writeFastTokenizerJson(dir), false);
    assert.equal(readFileSync(join(dir, 'tokenizer.json'), 'utf8'), '{"mine": true}');

    rmSync(join(dir, 'tokenizer.json'));
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, do_basic_tokenize: false }));
    assert.equal(await writeFastTokenizerJson(dir), false);
    assert.ok(!existsSync(join(dir, 'tokenizer.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
