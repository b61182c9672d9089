// Unigram (SentencePiece) tokenization, DeBERTa-v3's, against the hand-written reference in
// test/reference/unigram.py (Viterbi over the piece scores, Metaspace split, unknown-character fusing, written
// without sentencepiece/tokenizers, which cannot be installed here) on every text of ../shared/data/emotion and
// banking77, for both ways a repository ships it: tokenizer.json, and only spm.model (its protobuf read here and
// turned into the tokenizer.json transformers' DebertaV2Converter builds). The fixture's pieces are counted from the
// data by the reference's `make` (test/fixtures/families/deberta-v3-tiny-random). Needs /usr/bin/python3 and
// ../shared/data (test/helpers/requirements.ts: a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, python, shared } from '../../../helpers/requirements';
import { emotionAndBanking77Texts } from '../../../helpers/sharedTexts';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { validateModelFolder } from '../../../../src/engine/hub/modelFolder';
import { readSentencePieceModel } from '../../../../src/engine/tokenizer/sentencePieceModel';
import { EngineError } from '../../../../src/engine/errors';

const fixture = join(__dirname, '..', '..', '..', 'fixtures', 'families', 'deberta-v3-tiny-random');
const reference = join(__dirname, '..', '..', '..', 'reference', 'unigram.py');

/** Texts of the kinds the data has few of: spaces around and inside, characters no piece covers (fused), specials. */
const edgeTexts = [
  '', '   ', '  I lost my £££ card!!  ', 'tab\there\nnewline', 'a  b   c', '€10 & #tag', '££ £ ££x', 'im feeling [MASK] rather',
  '[CLS] twice [SEP][SEP]', 'caf\u00e9 na\u00efve', '\u00a0leading no-break space', 'UPPER lower MiXeD', 'x'.repeat(400),
];

function referenceIds(dir: string, texts: string[], spm: boolean): number[][] {
  const r = spawnSync(python, [reference, 'tokenize', dir, ...(spm ? ['--spm'] : [])], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `the reference tokenizer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

test('Unigram gives the reference ids on every emotion and banking77 text (tokenizer.json, and spm.model only)', needs(shared('data/emotion'), shared('data/banking77')), async () => {
  const texts = [...edgeTexts, ...emotionAndBanking77Texts()];
  assert.ok(texts.length > 30000);
  const spmOnly = mkdtempSync(join(tmpdir(), 'unigram-spm-'));
  cpSync(fixture, spmOnly, { recursive: true });
  rmSync(join(spmOnly, 'tokenizer.json'));
  assert.equal((await validateModelFolder(spmOnly)).tokenizer, 'spm.model');
  for (const [dir, spm] of [[fixture, false], [spmOnly, true]] as const) {
    const tokenizer = await loadTokenizer(dir);
    assert.equal(tokenizer.source, spm ? 'spm.model' : 'tokenizer.json');
    assert.deepEqual(tokenizer.specialIds, { pad: 0, unk: 3, cls: 1, sep: 2, mask: tokenizer.vocabSize - 1 });
    const theirs = referenceIds(dir, texts, spm);
    let mismatches = 0;
    let unknown = 0;
    texts.forEach((t, i) => {
      const ours = tokenizer.encode(t, 128);
      if (ours.includes(tokenizer.specialIds.unk)) unknown++;
      if (JSON.stringify(ours) !== JSON.stringify(theirs[i]) && mismatches++ < 5) assert.fail(`${tokenizer.source}: ${JSON.stringify(t)} → ${ours.join(' ')} vs reference ${theirs[i].join(' ')}`);
    });
    assert.equal(mismatches, 0);
    // The fixture leaves £ € # & out of its pieces, so unknown characters (and their fusing) are exercised.
    assert.ok(unknown > 10, `only ${unknown} texts have an unknown character`);
  }
  rmSync(spmOnly, { recursive: true, force: true });
});

test('DeBERTa-v3 conventions: [CLS] A [SEP], a run of unknown characters is one [UNK], [MASK] after the pieces, truncation keeps both ends', async () => {
  const tokenizer = await loadTokenizer(fixture);
  const { cls, sep, unk, mask } = tokenizer.specialIds;
  const ids = tokenizer.encode('££ ok');
  assert.equal(ids[0], cls);
  assert.equal(ids.at(-1), sep);
  assert.equal(ids.filter((id) => id === unk).length, 1, `"££" is one [UNK]: ${ids.join(' ')}`);
  assert.deepEqual(tokenizer.encode('a [MASK] b').filter((id) => id === mask), [mask]);
  const long = tokenizer.encode('word '.repeat(200), 16);
  assert.equal(long.length, 16);
  assert.deepEqual([long[0], long[15]], [cls, sep]);
  assert.equal(tokenizer.idToToken(ids[1])?.startsWith('\u2581'), true, 'the first piece carries the "▁" of the prepended space');
});

function spmFolder(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'unigram-bad-'));
  cpSync(fixture, dir, { recursive: true });
  rmSync(join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'spm.model'), bytes);
  return dir;
}

/** A protobuf varint field / length-delimited field, for hand-made broken models. */
const varintField = (field: number, value: number): number[] => [field << 3, value];
const lengthField = (field: number, payload: number[]): number[] => [(field << 3) | 2, payload.length, ...payload];

test('a broken or unsupported spm.model is refused naming the file and what is wrong', async () => {
  const good = readFileSync(join(fixture, 'spm.model'));
  const isSpmError = (pattern: RegExp) => (err: unknown): boolean => err instanceof EngineError && /spm\.model$/.test(String(err.data.file)) && pattern.test(err.message);
  // Cut in the middle of a piece, and cut inside a length: two truncations.
  await assert.rejects(loadTokenizer(spmFolder(good.subarray(0, 1001))), isSpmError(/not a SentencePiece model: .*(past the end|longer than)/));
  await assert.rejects(loadTokenizer(spmFolder(good.subarray(0, 1))), isSpmError(/not a SentencePiece model/));
  // Not a protobuf at all (a JSON file renamed).
  await assert.rejects(loadTokenizer(spmFolder(Buffer.from('{"model": "unigram"}'))), isSpmError(/not a SentencePiece model/));
  // A piece "a" (score field omitted) with a BPE trainer spec (model_type 2), and the same with byte fallback.
  const piece = lengthField(1, [...lengthField(1, [0x61]), ...varintField(3, 2)]);
  await assert.rejects(loadTokenizer(spmFolder(Uint8Array.from([...piece, ...lengthField(2, varintField(3, 2))]))), isSpmError(/SentencePiece BPE model; only Unigram/));
  await assert.rejects(loadTokenizer(spmFolder(Uint8Array.from([...piece, ...lengthField(2, [...varintField(3, 1), 0x98, 0x02, 1])]))), isSpmError(/byte-fallback/));
  // unk_id outside the pieces.
  await assert.rejects(loadTokenizer(spmFolder(Uint8Array.from([...piece, ...lengthField(2, [0xc0, 0x02, 5])]))), isSpmError(/unk_id 5 is not one of its 1 pieces/));
});

test('the SentencePiece reader decodes pieces, scores, types and the trainer/normalizer fields of the fixture', () => {
  const model = readSentencePieceModel(readFileSync(join(fixture, 'spm.model')), 'spm.model');
  const json = JSON.parse(readFileSync(join(fixture, 'tokenizer.json'), 'utf8')) as { model: { vocab: [string, number][] } };
  assert.deepEqual(model.pieces.map((p) => [p.piece, p.score]), json.model.vocab);
  assert.deepEqual(model.pieces.slice(0, 5).map((p) => p.type), [3, 3, 3, 2, 1]);
  assert.deepEqual([model.modelType, model.unkId, model.byteFallback, model.normalizerName, model.precompiledCharsmap.length], [1, 3, false, 'identity', 0]);
});
