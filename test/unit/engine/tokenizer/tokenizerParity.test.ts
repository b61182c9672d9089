// Every tokenizer path gives the same ids on every text of the shared datasets and matches the independent
// PyTorch reference's golden ids: tokenizer.json through @huggingface/tokenizers (the library), tokenizer.json
// through our WordPiece code (the default for plain BERT files), and vocab.txt through our WordPiece code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import type { TextTokenizer } from '../../../../src/engine/tokenizer/textTokenizer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'), shared('data/emotion'), shared('data/banking77'), shared('reference/golden-bert-tiny-random.jsonl'));
const splits = ['emotion/train', 'emotion/validation', 'emotion/test', 'banking77/train', 'banking77/test'];

async function allPaths(): Promise<[string, TextTokenizer][]> {
  const library = await loadTokenizer(modelDir, { source: 'tokenizer.json', implementation: 'library' });
  const json = await loadTokenizer(modelDir);
  const vocab = await loadTokenizer(modelDir, { source: 'vocab.txt' });
  assert.deepEqual([library.source, library.implementation], ['tokenizer.json', '@huggingface/tokenizers']);
  assert.deepEqual([json.source, json.implementation], ['tokenizer.json', 'wordpiece']);
  assert.deepEqual([vocab.source, vocab.implementation], ['vocab.txt', 'wordpiece']);
  return [['library tokenizer.json', library], ['wordpiece tokenizer.json', json], ['wordpiece vocab.txt', vocab]];
}

function readTexts(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { text: string }).text);
}

test('all tokenizer paths give identical ids on every text of emotion and banking77', async () => {
  const [[, reference], ...others] = await allPaths();
  assert.equal(reference.vocabSize, 30522);
  for (const [, tokenizer] of others) {
    assert.deepEqual(tokenizer.specialIds, reference.specialIds);
    assert.equal(tokenizer.vocabSize, 30522);
  }
  let total = 0;
  for (const split of splits) {
    const texts = readTexts(sharedPath('data', `${split}.jsonl`));
    assert.ok(texts.length > 1000, split);
    for (let i = 0; i < texts.length; i++) {
      // No truncation here: the whole text must agree, not just its first 128 tokens.
      const a = reference.encode(texts[i], 100_000);
      for (const [name, tokenizer] of others) {
        const b = tokenizer.encode(texts[i], 100_000);
        if (a.length !== b.length || a.some((id, k) => id !== b[k])) {
          assert.deepEqual(b, a, `${name}, ${split}.jsonl line ${i + 1}: ${JSON.stringify(texts[i])}`);
        }
      }
    }
    total += texts.length;
  }
  assert.equal(total, 16000 + 2000 + 2000 + 10003 + 3080);
});

test('both paths reproduce the golden ids of the PyTorch reference (max_length 128)', async () => {
  const rows = readFileSync(sharedPath('reference', 'golden-bert-tiny-random.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; input_ids: number[] });
  assert.equal(rows.length, 64);
  for (const [name, tokenizer] of await allPaths()) {
    for (const row of rows) assert.deepEqual(tokenizer.encode(row.text, 128), row.input_ids, `${name}: ${row.text}`);
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
  const [[, reference], ...others] = await allPaths();
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
    const expected = reference.encode(text, 100_000);
    for (const [name, tokenizer] of others) assert.deepEqual(tokenizer.encode(text, 100_000), expected, `${name}: ${JSON.stringify(text)}`);
  }
});
