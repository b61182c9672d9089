// Both tokenizer paths (tokenizer.json through @huggingface/tokenizers, and our vocab.txt WordPiece) give the
// same ids on every text of the shared datasets, and match the independent PyTorch reference's golden ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';

const shared = join(__dirname, '../../../../../shared');
const modelDir = join(shared, 'models/bert-tiny-random');
const splits = ['emotion/train', 'emotion/validation', 'emotion/test', 'banking77/train', 'banking77/test'];

function readTexts(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { text: string }).text);
}

test('tokenizer.json and vocab.txt give identical ids on every text of emotion and banking77', async () => {
  const fromJson = await loadTokenizer(modelDir, { source: 'tokenizer.json' });
  const fromVocab = await loadTokenizer(modelDir, { source: 'vocab.txt' });
  assert.equal(fromJson.source, 'tokenizer.json');
  assert.equal(fromVocab.source, 'vocab.txt');
  assert.deepEqual(fromJson.specialIds, fromVocab.specialIds);
  assert.equal(fromJson.vocabSize, 30522);
  assert.equal(fromVocab.vocabSize, 30522);
  let total = 0;
  for (const split of splits) {
    const texts = readTexts(join(shared, 'data', `${split}.jsonl`));
    assert.ok(texts.length > 1000, split);
    for (let i = 0; i < texts.length; i++) {
      // No truncation here: the whole text must agree, not just its first 128 tokens.
      const a = fromJson.encode(texts[i], 100_000);
      const b = fromVocab.encode(texts[i], 100_000);
      if (a.length !== b.length || a.some((id, k) => id !== b[k])) {
        assert.deepEqual(b, a, `${split}.jsonl line ${i + 1}: ${JSON.stringify(texts[i])}`);
      }
    }
    total += texts.length;
  }
  assert.equal(total, 16000 + 2000 + 2000 + 10003 + 3080);
});

test('both paths reproduce the golden ids of the PyTorch reference (max_length 128)', async () => {
  const rows = readFileSync(join(shared, 'reference/golden-bert-tiny-random.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; input_ids: number[] });
  assert.equal(rows.length, 64);
  for (const source of ['tokenizer.json', 'vocab.txt'] as const) {
    const tokenizer = await loadTokenizer(modelDir, { source });
    for (const row of rows) assert.deepEqual(tokenizer.encode(row.text, 128), row.input_ids, `${source}: ${row.text}`);
    const batch = tokenizer.encodeBatch(rows.map((r) => r.text), { maxLength: 128 });
    const longest = Math.max(...rows.map((r) => r.input_ids.length));
    assert.equal(batch.seqLen, longest);
    rows.forEach((row, i) => {
      const ids = Array.from(batch.inputIds.subarray(i * batch.seqLen, (i + 1) * batch.seqLen));
      assert.deepEqual(ids, [...row.input_ids, ...new Array(longest - row.input_ids.length).fill(0)]);
    });
  }
});

test('both paths agree on mixed-script text: accents, Greek, Cyrillic, CJK, emoji, odd spaces and controls', async () => {
  const fromJson = await loadTokenizer(modelDir, { source: 'tokenizer.json' });
  const fromVocab = await loadTokenizer(modelDir, { source: 'vocab.txt' });
  const alphabet = [
    ...'abcXYZ019 .,!?\'"-()[]{}#@$%&*+/:;<=>\\^_`|~\t\n\r',
    'é', 'È', 'ñ', 'Ü', 'ç', 'ø', 'Å', 'ß', 'ﬁ', 'Ω', 'σ', 'Σ', 'ж', 'Д', '你', '好', '日', '本', 'ア', 'ㅎ', '한',
    '😀', '👍🏽', '\u00a0', '\u2009', '\u3000', '\u2028', '\u200b', '\u00ad', '\ufeff', '\u0007', '\u007f', '\u0301',
    '“', '”', '…', '—', '¿', '¡', '«', '»', '€', '£', '™', '°', 'İ', 'ǅ', '[SEP]', '[CLS]', '[UNK]',
  ];
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 3000; i++) {
    let text = '';
    const length = 1 + next(40);
    for (let k = 0; k < length; k++) text += alphabet[next(alphabet.length)];
    assert.deepEqual(fromVocab.encode(text, 100_000), fromJson.encode(text, 100_000), JSON.stringify(text));
  }
});
