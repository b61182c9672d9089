import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTrainConfig } from '../../../../src/engine/train/resolveTrainConfig';
import { chooseDefaultModel } from '../../../../src/engine/train/chooseDefaultModel';
import { claimRunDir, defaultRunsDir, makeRunId } from '../../../../src/engine/train/runId';
import { epochOrder } from '../../../../src/engine/seededRandom';

const dataset = __filename;

test('default n-gram epochs count records, so a CSV (header, quoted line breaks) and a Parquet file of the same data train as long as the JSONL', async () => {
  const { readJsonlRows, toDelimited, writeParquet } = await import('../../../helpers/tabularDatasets');
  const dir = await mkdtemp(join(tmpdir(), 'ngram-epochs-'));
  try {
    // 1000 records: 40 epochs. Counting the CSV's lines would give 1000 + 1 header + 200 quoted breaks (34 epochs).
    const rows = Array.from({ length: 1000 }, (_, i) => ({ text: i % 5 === 0 ? `two\nlines ${i}` : `t${i}`, label: 'x' }));
    await writeFile(join(dir, 'train.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    await writeFile(join(dir, 'train.csv'), toDelimited(rows));
    writeParquet(join(dir, 'train.parquet'), readJsonlRows(join(dir, 'train.jsonl')));
    for (const ext of ['jsonl', 'csv', 'parquet']) {
      assert.equal((await resolveTrainConfig({ dataset: join(dir, `train.${ext}`), model: 'ngram' })).epochs, 40, ext);
    }
    await rm(join(dir, 'train.jsonl'));
    assert.equal((await resolveTrainConfig({ dataset: dir, model: 'ngram' })).epochs, 40, 'a folder: its train.csv');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('defaults follow the design per mode, and the n-gram model has its own', async () => {
  const full = await resolveTrainConfig({ dataset, model: '/m' });
  assert.equal(full.learningRate, 2e-5);
  assert.equal(full.batchSize, 16);
  assert.equal(full.epochs, 3);
  assert.equal(full.weightDecay, 0.01);
  assert.equal(full.maxLength, 128);
  assert.equal(full.patience, 2);
  assert.equal(full.seed, 42);
  assert.equal((await resolveTrainConfig({ dataset, model: '/m', mode: 'feature-extraction' })).learningRate, 1e-3);
  const lora = await resolveTrainConfig({ dataset, model: '/m', mode: 'lora', lora: { rank: 4 } as never });
  assert.deepEqual(lora.lora, { rank: 4, alpha: 16, dropout: 0.1, targets: ['query', 'value'] });
  const ngram = await resolveTrainConfig({ dataset, model: 'ngram', epochs: 2 });
  // Unset n-gram epochs scale with the data: about 40,000 updates, within [8, 50].
  const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `t${i}`, label: 'x' })).join('\n');
  const dir = await mkdtemp(join(tmpdir(), 'ngram-epochs-'));
  try {
    for (const [n, epochs] of [[100, 50], [2000, 20], [16000, 8]] as const) {
      await writeFile(join(dir, 'train.jsonl'), lines(n));
      assert.equal((await resolveTrainConfig({ dataset: join(dir, 'train.jsonl'), model: 'ngram' })).epochs, epochs, `${n} lines`);
    }
    assert.equal((await resolveTrainConfig({ dataset: dir, model: 'ngram' })).epochs, 8, 'a folder: its train.jsonl');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(ngram.epochs, 2);
  assert.equal(ngram.learningRate, 0.2);
  assert.equal(ngram.ngram?.dim, 32);
  const scratch = await resolveTrainConfig({ dataset, model: 'scratch' });
  assert.deepEqual([scratch.learningRate, scratch.epochs], [5e-4, 5]);
});

test('bad options are refused naming the option, the expectation and the value', async () => {
  await assert.rejects(resolveTrainConfig({ dataset, model: 'ngram', batchSize: 1.5 }), /option batchSize must be a whole number ≥ 1, got 1.5/);
  await assert.rejects(resolveTrainConfig({ dataset, model: 'ngram', learningRate: -1 }), /learningRate/);
  await assert.rejects(resolveTrainConfig({ dataset, model: 'x', mode: 'half' as never }), /option mode must be full, feature-extraction or lora/);
  await assert.rejects(resolveTrainConfig({ dataset, model: 'ngram', backend: 'gpu' as never }), /backend/);
  await assert.rejects(resolveTrainConfig({ dataset: '/no/such/train.jsonl', model: 'ngram' }), /\/no\/such\/train.jsonl: no such file or folder/);
});

test('default model: configured, then HF cache, then workspace models/, else n-gram with a hint', async () => {
  const root = await mkdtemp(join(tmpdir(), 'default-model-'));
  try {
    const emptyEnv = { HF_HUB_CACHE: join(root, 'no-cache') };
    const data = join(root, 'project', 'data', 'train.jsonl');
    const fallback = await chooseDefaultModel(data, undefined, emptyEnv);
    assert.equal(fallback.model, 'ngram');
    assert.match(fallback.reason, /--model <folder or hub id>/);
    assert.equal((await chooseDefaultModel(data, 'org/name', emptyEnv)).model, 'org/name');

    const writeBert = async (dir: string, type = 'bert', withWeights = true) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: type }));
      await writeFile(join(dir, 'vocab.txt'), '[PAD]\n');
      if (withWeights) await writeFile(join(dir, 'model.safetensors'), '');
    };
    await writeBert(join(root, 'project', 'models', 'gpt'), 'gpt2');
    await writeBert(join(root, 'project', 'models', 'pickled'), 'bert', false);
    assert.equal((await chooseDefaultModel(data, undefined, emptyEnv)).model, 'ngram', 'unsupported or .bin-only folders are skipped');
    await writeBert(join(root, 'project', 'models', 'mini'));
    assert.equal((await chooseDefaultModel(data, undefined, emptyEnv)).model, join(root, 'project', 'models', 'mini'));
    const snapshot = join(root, 'hub', 'models--org--tiny', 'snapshots', 'abc');
    await writeBert(snapshot, 'distilbert');
    const cached = await chooseDefaultModel(data, undefined, { HF_HUB_CACHE: join(root, 'hub') });
    assert.equal(cached.model, snapshot);
    assert.match(cached.reason, /Hugging Face cache/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('run ids are sortable, readable and unique', async () => {
  const id = makeRunId('/x/data/emotion/train.jsonl', 'ngram', new Date(2026, 10, 23, 13, 45, 12));
  assert.equal(id, '2026-11-23T13-45-12-emotion-ngram');
  assert.equal(makeRunId('/x/support-tickets-train.jsonl', '/models/bert-base-uncased/', new Date(2026, 0, 2, 3, 4, 5)), '2026-01-02T03-04-05-support-tickets-bert-base-uncased');
  assert.equal(makeRunId('/x/My Data.jsonl', 'org/Mini_LM', new Date(2026, 0, 2, 3, 4, 5)), '2026-01-02T03-04-05-my-data-mini-lm');
  assert.equal(defaultRunsDir('/x/data/train.jsonl'), '/x/data/.classifier-workbench/runs');
  const runsDir = await mkdtemp(join(tmpdir(), 'runid-'));
  try {
    const a = await claimRunDir(runsDir, 'same');
    const b = await claimRunDir(runsDir, 'same');
    assert.deepEqual([a.runId, b.runId], ['same', 'same-2']);
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});

test('epoch order is a permutation fixed by (seed, epoch)', () => {
  const a = epochOrder(50, 42, 0);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(epochOrder(50, 42, 0), a);
  assert.notDeepEqual(epochOrder(50, 42, 1), a);
  assert.notDeepEqual(epochOrder(50, 43, 0), a);
});

test('the defaults the fine-tune wizard quotes (protocol/trainDefaults) are the ones a run gets', async () => {
  const { modelDefaults } = await import('../../../../src/protocol/trainDefaults');
  for (const [model, mode] of [['ngram', 'full'], ['scratch', 'full'], ['scratch', 'lora'], ['/m', 'full'], ['/m', 'feature-extraction'], ['/m', 'lora']] as const) {
    const quoted = modelDefaults(model, mode);
    const run = await resolveTrainConfig({ dataset, model, mode });
    assert.deepEqual([run.batchSize, run.learningRate, run.weightDecay, run.warmupRatio], [quoted.batchSize, quoted.learningRate, quoted.weightDecay, quoted.warmupRatio], `${model} ${mode}`);
    if (quoted.epochs !== 'scaled') assert.equal(run.epochs, quoted.epochs, `${model} ${mode} epochs`);
  }
});
