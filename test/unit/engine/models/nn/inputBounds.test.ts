// Unbounded input (issue 17, kind 2): every model-folder input has a bound checked before work starts, and the
// error names the file, the bound and why — config.json sizes, file sizes, id2label, and files that are not
// regular files (a FIFO would block forever). Reproducers of the issue first, then variants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, copyFileSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBertConfig } from '../../../../../src/engine/models/bert/bertConfig';
import { loadBertModel } from '../../../../../src/engine/models/bert/loadBertModel';
import { validateModelFolder } from '../../../../../src/engine/hub/modelFolder';
import { labelsFromId2label, MAX_LABELS } from '../../../../../src/engine/models/nn/configBounds';
import { loadTokenizer } from '../../../../../src/engine/tokenizer/loadTokenizer';
import { EngineError } from '../../../../../src/engine/errors';
import { sharedPath } from '../../../../helpers/requirements';

const sharedModel = sharedPath('models', 'bert-tiny-random');
const baseConfig = JSON.parse(readFileSync(join(sharedModel, 'config.json'), 'utf8')) as Record<string, unknown>;

/** A copy of the tiny model (weights linked, the rest copied) whose files a test may replace. */
function modelCopy(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bounds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) copyFileSync(join(sharedModel, name), join(dir, name));
  symlinkSync(join(sharedModel, 'model.safetensors'), join(dir, 'model.safetensors'));
  return dir;
}

function writeConfig(dir: string, changes: Record<string, unknown>): void {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...baseConfig, ...changes }));
}

/** Fails (rather than hangs) when `work` takes longer than `ms`: a blocked read is the fault under test. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

test('issue reproducer: num_hidden_layers 1000000 is refused before anything is allocated, naming the field and the bound', async (t) => {
  const dir = modelCopy(t);
  writeConfig(dir, { num_hidden_layers: 1_000_000 });
  assert.throws(() => readBertConfig(dir), (err: unknown) => err instanceof EngineError && /"num_hidden_layers" is 1,000,000, outside the engine's bound \[1, 256\] \(the deepest released encoders have 48 layers\)/.test(err.message));
  // The path that ran 75 s into a V8 out-of-memory abort: the same error, at once.
  await assert.rejects(within(5000, loadBertModel(dir, 2)), /"num_hidden_layers" is 1,000,000, outside the engine's bound/);
});

test('issue reproducer and variants: hidden_size 1e9, negative, fractional, a string or Infinity are refused by name (no RangeError)', async (t) => {
  const dir = modelCopy(t);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ hidden_size: 1e9 }, /"hidden_size" is 1,000,000,000, outside the engine's bound \[1, 16,384\]/],
    [{ hidden_size: -128 }, /"hidden_size" is -128, outside the engine's bound \[1, 16,384\]/],
    [{ intermediate_size: 512.5 }, /"intermediate_size" must be a whole number, got 512\.5/],
    [{ vocab_size: '30522' }, /"vocab_size" must be a number, got "30522"/],
    [{ max_position_embeddings: 0 }, /"max_position_embeddings" is 0, outside the engine's bound \[1, 131,072\]/],
    [{ num_attention_heads: 3 }, /hidden size 128 is not divisible by 3 attention heads/],
    [{ hidden_dropout_prob: 1.5 }, /"hidden_dropout_prob" is 1\.5, outside .* \(a dropout probability is in \[0, 1\)\)/],
    [{ pad_token_id: 40000 }, /pad_token_id 40000 is not a token of the 30522-token vocabulary/],
    // Each within its own bound, together 17 billion parameters: the product has a bound too.
    [{ vocab_size: 2_000_000, hidden_size: 8192, num_attention_heads: 64 }, /describe 17,\d{3} million parameters, over the engine's bound of 2,000 million/],
  ];
  for (const [changes, expected] of cases) {
    writeConfig(dir, changes);
    assert.throws(() => readBertConfig(dir), (err: unknown) => err instanceof EngineError && expected.test(err.message), JSON.stringify(changes));
  }
  // Infinity can only be written as a JSON number too large for a double.
  writeFileSync(join(dir, 'config.json'), JSON.stringify(baseConfig).replace('"hidden_size":128', '"hidden_size":1e400'));
  assert.throws(() => readBertConfig(dir), /"hidden_size" must be a finite number, got Infinity/);
});

test('issue reproducer: a 300 MB tokenizer.json is refused before it is read, naming its cap', async (t) => {
  const dir = modelCopy(t);
  // A sparse file: 300 MB on paper, nothing on disk.
  writeFileSync(join(dir, 'tokenizer.json'), '{');
  truncateSync(join(dir, 'tokenizer.json'), 300 * 1024 * 1024);
  await assert.rejects(within(5000, loadTokenizer(dir)), /tokenizer\.json: is 300 MiB, over the cap for tokenizer\.json of 64 MiB; it is refused before it is read/);
});

test('variant: an oversized config.json and vocab.txt are refused by their caps too', async (t) => {
  const dir = modelCopy(t);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(baseConfig));
  truncateSync(join(dir, 'config.json'), 17 * 1024 * 1024);
  assert.throws(() => readBertConfig(dir), /config\.json: is 17 MiB, over the cap for config\.json of 16 MiB/);
  await assert.rejects(validateModelFolder(dir), /config\.json: is 17 MiB, over the cap for config\.json of 16 MiB/);
  rmSync(join(dir, 'tokenizer.json'));
  truncateSync(join(dir, 'vocab.txt'), 20 * 1024 * 1024);
  await assert.rejects(loadTokenizer(dir), /vocab\.txt: is 20 MiB, over the cap for vocab\.txt of 16 MiB/);
});

test('id2label: more labels than the bound, a missing id or an over-long label are refused by their bound', () => {
  const many = Object.fromEntries(Array.from({ length: MAX_LABELS + 1 }, (_, i) => [String(i), `l${i}`]));
  assert.throws(() => labelsFromId2label({ id2label: many }, 'config.json'), /"id2label" has 100,001 entries, over the engine's bound of 100,000 labels/);
  assert.throws(() => labelsFromId2label({ id2label: { 0: 'a', 2: 'b' } }, 'config.json'), /"id2label" lacks id 1 \(ids must be 0\.\.1/);
  assert.throws(() => labelsFromId2label({ id2label: { 0: 'x'.repeat(1001) } }, 'config.json'), /label 0 is 1,001 characters, over the bound of 1,000/);
  assert.throws(() => labelsFromId2label({ id2label: ['a', 'b'] }, 'config.json'), /"id2label" must be an object/);
  assert.deepEqual(labelsFromId2label({ id2label: { 1: 'pos', 0: 'neg' } }, 'config.json'), ['neg', 'pos']);
  assert.equal(labelsFromId2label({}, 'config.json'), undefined);
});

/** A FIFO at `path`; after the test, a writer is opened (when a reader waits) so nothing stays blocked. */
function fifo(t: { after(fn: () => void): void }, path: string): void {
  rmSync(path, { force: true });
  execFileSync('mkfifo', [path]);
  t.after(() => {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting: nothing to release
    }
  });
}

test('issue reproducer: a FIFO named model.safetensors is refused, not read', async (t) => {
  const dir = modelCopy(t);
  fifo(t, join(dir, 'model.safetensors'));
  await assert.rejects(within(5000, validateModelFolder(dir)), /model\.safetensors: is a named pipe \(FIFO\), not a regular file; it is refused rather than read/);
});

test('variant: a FIFO named config.json or tokenizer.json is refused the same way', async (t) => {
  const dir = modelCopy(t);
  fifo(t, join(dir, 'config.json'));
  assert.throws(() => readBertConfig(dir), /config\.json: is a named pipe \(FIFO\)/);
  await assert.rejects(within(5000, validateModelFolder(dir)), /config\.json: is a named pipe \(FIFO\)/);
  const other = modelCopy(t);
  fifo(t, join(other, 'tokenizer.json'));
  await assert.rejects(within(5000, loadTokenizer(other)), /tokenizer\.json: is a named pipe \(FIFO\)/);
});

test('found by the fuzz: JSON nested 10,000 deep and token ids past the vocabulary bound are refused by name', async (t) => {
  const dir = modelCopy(t);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(baseConfig).replace('"gelu"', `${'['.repeat(10_000)}1${']'.repeat(10_000)}`));
  assert.throws(() => readBertConfig(dir), /config\.json: nests deeper than 64 levels/);
  const tokenizer = JSON.parse(readFileSync(join(sharedModel, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
  tokenizer.model.vocab['[PAD]'] = 1e15;
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await assert.rejects(loadTokenizer(dir), /tokenizer\.json: "model\.vocab\["\[PAD\]"\]" must be a token id, a whole number in \[0, 2000000\), got 1000000000000000/);
  writeConfig(dir, { hidden_act: [{ a: 1 }] });
  assert.throws(() => readBertConfig(dir), /Activation an array of 1 item is not supported/);
});

test('a config within every bound that describes far more than its weights is refused before allocating', async (t) => {
  const dir = modelCopy(t);
  // 24 layers of width 2,048: 1.3 billion parameters (5 GB of float32 if allocated); the weights hold 4.4 million.
  writeConfig(dir, { num_hidden_layers: 24, hidden_size: 2048, num_attention_heads: 32, intermediate_size: 8192 });
  await assert.rejects(within(5000, loadBertModel(dir, 2)), /config\.json: config\.json describes 1,\d{3},\d{3},\d{3} parameters but the weights hold 4,\d{3},\d{3}: config and weights do not belong together \(refused before allocating\)/);
});
