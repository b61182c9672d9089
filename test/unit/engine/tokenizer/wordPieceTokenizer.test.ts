// The vocab.txt tokenizer on a tiny hand-made vocabulary: basic tokenisation rules, WordPiece, options, batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { EngineError } from '../../../../src/engine/errors';

const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', '##aff', '##able', 'hello', 'world', ',', '!', '.',
  'cafe', 'café', 'Hello', '你', 'a', 'b', '##b', "'", 's', 'x'];
const id = (token: string): number => vocab.indexOf(token);

function folder(config: Record<string, unknown> | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-vocab-'));
  writeFileSync(join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
  if (config) writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return dir;
}

test('lower-cases, strips accents, splits punctuation and CJK, and splits words into pieces', async (t) => {
  const dir = folder(undefined);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tok = await loadTokenizer(dir);
  assert.equal(tok.source, 'vocab.txt');
  assert.deepEqual(tok.encode('UnAffable, HELLO\tworld!'), [2, id('un'), id('##aff'), id('##able'), id(','), id('hello'), id('world'), id('!'), 3]);
  // Accents are stripped by default with lower-casing; a CJK character is a word of its own.
  assert.deepEqual(tok.encode('Café你hello'), [2, id('cafe'), id('你'), id('hello'), 3]);
  // Controls vanish (joining the word), odd spaces split, a word that cannot be split is one [UNK].
  assert.deepEqual(tok.encode('hel\u0007lo\u00a0zzz b\u200bb'), [2, id('hello'), id('[UNK]'), id('b'), id('##b'), 3]);
  // Special tokens written in the text map to their ids.
  assert.deepEqual(tok.encode('a[SEP]b'), [2, id('a'), 3, id('b'), 3]);
  // Words over 100 characters are [UNK] without trying.
  assert.deepEqual(tok.encode('b'.repeat(101)), [2, 1, 3]);
  assert.deepEqual(tok.encode('b'.repeat(100)), [2, id('b'), ...new Array(99).fill(id('##b')), 3]);
  assert.deepEqual(tok.encode(''), [2, 3]);
  assert.equal(tok.idToToken(id('##aff')), '##aff');
});

test('honours do_lower_case false and strip_accents from tokenizer_config.json', async (t) => {
  const cased = folder({ do_lower_case: false });
  const accents = folder({ do_lower_case: true, strip_accents: false, model_max_length: 6 });
  t.after(() => { rmSync(cased, { recursive: true, force: true }); rmSync(accents, { recursive: true, force: true }); });
  const tokCased = await loadTokenizer(cased);
  assert.deepEqual(tokCased.encode('Hello hello Café'), [2, id('Hello'), id('hello'), id('[UNK]'), 3]);
  const noBasic = folder({ do_basic_tokenize: false });
  t.after(() => rmSync(noBasic, { recursive: true, force: true }));
  // Whitespace split only: punctuation stays inside the word (which then has no pieces), case is kept.
  assert.deepEqual((await loadTokenizer(noBasic)).encode('hello world! Hello'), [2, id('hello'), id('[UNK]'), id('Hello'), 3]);
  const tokAccents = await loadTokenizer(accents);
  assert.deepEqual(tokAccents.encode('CAFÉ cafe'), [2, id('café'), id('cafe'), 3]);
  assert.equal(tokAccents.modelMaxLength, 6);
  // model_max_length applies when no maxLength is given, keeping [CLS] and [SEP].
  assert.deepEqual(tokAccents.encode('a b a b a b a b'), [2, id('a'), id('b'), id('a'), id('b'), 3]);
});

test('encodeBatch truncates, pads to the longest row, and fills mask and token types', async (t) => {
  const dir = folder(undefined);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tok = await loadTokenizer(dir);
  const batch = tok.encodeBatch(['a', 'a b a b a b', 'hello world'], { maxLength: 5 });
  assert.equal(batch.batchSize, 3);
  assert.equal(batch.seqLen, 5);
  const a = id('a'), b = id('b');
  assert.deepEqual(Array.from(batch.inputIds), [2, a, 3, 0, 0, 2, a, b, a, 3, 2, id('hello'), id('world'), 3, 0]);
  assert.deepEqual(Array.from(batch.attentionMask), [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(batch.tokenTypeIds), new Array(15).fill(0));
  // Dynamic padding: a batch of short texts is short.
  assert.equal(tok.encodeBatch(['a', 'b'], { maxLength: 128 }).seqLen, 3);
  assert.equal(tok.encodeBatch([], { maxLength: 128 }).inputIds.length, 0);
  assert.throws(() => tok.encodeBatch(['a'], { maxLength: 2 }), RangeError);
});

test('a folder without tokenizer files, or with a vocabulary missing [CLS], is a clear error naming the file', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'cw-empty-'));
  const noCls = mkdtempSync(join(tmpdir(), 'cw-nocls-'));
  t.after(() => { rmSync(empty, { recursive: true, force: true }); rmSync(noCls, { recursive: true, force: true }); });
  await assert.rejects(loadTokenizer(empty), (err: unknown) => err instanceof EngineError && err.data.file === empty && /tokenizer\.json, vocab\.txt, vocab\.json with merges\.txt, or spm\.model/.test(err.message));
  writeFileSync(join(noCls, 'vocab.txt'), '[PAD]\n[UNK]\n[SEP]\nhello\n');
  await assert.rejects(loadTokenizer(noCls), (err: unknown) => err instanceof EngineError && err.data.file === join(noCls, 'vocab.txt') && /\[CLS\]/.test(err.message));
  writeFileSync(join(noCls, 'tokenizer_config.json'), '{"do_lower_case": tru');
  await assert.rejects(loadTokenizer(noCls), (err: unknown) => err instanceof EngineError && err.data.file === join(noCls, 'tokenizer_config.json'));
});
