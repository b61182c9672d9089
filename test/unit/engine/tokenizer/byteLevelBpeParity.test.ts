// Byte-level BPE (RoBERTa) tokenization against the reference implementation in test/reference/torch_encoders.py
// (GPT-2 pre-tokenization written out by hand, merges by rank) on every text of ../shared/data/emotion and
// banking77, for both ways a folder ships the tokenizer: tokenizer.json, and the slow tokenizer's vocab.json +
// merges.txt (built into the same tokenizer here). Needs /usr/bin/python3 with torch (the reference imports it) and
// ../shared/data (test/helpers/requirements.ts: a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, python, pythonModule, shared } from '../../../helpers/requirements';
import { emotionAndBanking77Texts } from '../../../helpers/sharedTexts';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { validateModelFolder } from '../../../../src/engine/hub/modelFolder';
import { EngineError } from '../../../../src/engine/errors';

const fixture = join(__dirname, '..', '..', '..', 'fixtures', 'families', 'roberta-tiny-random');
const reference = join(__dirname, '..', '..', '..', 'reference', 'torch_encoders.py');

function referenceIds(dir: string, texts: string[], vocabFiles: boolean): number[][] {
  const r = spawnSync(python, [reference, 'tokenize', dir, ...(vocabFiles ? ['--vocab-files'] : [])], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `the reference tokenizer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

test('byte-level BPE gives the reference ids on every emotion and banking77 text (tokenizer.json, and vocab.json + merges.txt)', needs(pythonModule('torch'), shared('data/emotion'), shared('data/banking77')), async () => {
  const texts = emotionAndBanking77Texts();
  assert.ok(texts.length > 30000);
  const slowOnly = mkdtempSync(join(tmpdir(), 'bpe-slow-'));
  cpSync(fixture, slowOnly, { recursive: true });
  rmSync(join(slowOnly, 'tokenizer.json'));
  assert.equal((await validateModelFolder(slowOnly)).tokenizer, 'vocab.json+merges.txt');
  for (const [dir, vocabFiles] of [[fixture, false], [slowOnly, true]] as const) {
    const tokenizer = await loadTokenizer(dir);
    assert.equal(tokenizer.source, vocabFiles ? 'vocab.json+merges.txt' : 'tokenizer.json');
    const theirs = referenceIds(dir, texts, vocabFiles);
    let mismatches = 0;
    texts.forEach((t, i) => {
      const ours = tokenizer.encode(t, 128);
      if (JSON.stringify(ours) !== JSON.stringify(theirs[i]) && mismatches++ < 5) assert.fail(`${tokenizer.source}: ${JSON.stringify(t)} → ${ours.join(' ')} vs reference ${theirs[i].join(' ')}`);
    });
    assert.equal(mismatches, 0);
  }
});

test('a broken merges.txt is reported with its line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpe-broken-'));
  cpSync(fixture, dir, { recursive: true });
  rmSync(join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'merges.txt'), '#version: 0.2\nĠ t\nthree parts here\n');
  await assert.rejects(loadTokenizer(dir), (err: unknown) => err instanceof EngineError && err.data.line === 3 && /two tokens/.test(err.message));
  writeFileSync(join(dir, 'vocab.json'), '{"<s>": "zero"}');
  await assert.rejects(loadTokenizer(dir), /vocab\.json must map each token to an integer id/);
});
