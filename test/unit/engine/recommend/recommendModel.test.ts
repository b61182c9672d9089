// The default model a dataset gets, against the local Hub test server: reachable (a recommended model with its
// download size from the server's listing and a training time from its config, and not one weights request),
// unreachable, hanging past the timeout, and offline by environment (the n-gram model with the reason).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCandidates, recommendModel } from '../../../../src/engine/recommend/recommendModel';
import { filesToDownload } from '../../../../src/engine/hub/hubListing';
import { productShareOfStep } from '../../../../src/engine/recommend/trainingEstimate';
import { runCliCapture } from '../../../helpers/runCliCapture';
import { startHubServer, type HubServer } from '../../../helpers/hubServer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));
/** The smallest default candidate; the server serves the shared folder (the same shape: 2 layers, 128 wide) under its id. */
const repo = 'google/bert_uncased_L-2_H-128_A-2';
const downloaded = ['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'];
const weightRequest = (path: string): boolean => /\.safetensors$|\.bin$|^\/lfs-storage\//.test(path);

/** 200 lines, 4 labels, every text 8 words (10 estimated tokens with [CLS] and [SEP]). */
function dataset(t: { after(fn: () => void): void }): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-recommend-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const labels = ['billing', 'login', 'shipping', 'refund'];
  const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ text: `ticket ${i} says the thing is broken today`, label: labels[i % 4] }));
  const file = join(dir, 'train.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { dir, file };
}

async function hubFor(t: { after(fn: () => Promise<void>): void }, options: { stall?: boolean } = {}): Promise<HubServer> {
  const hub = await startHubServer({ modelDir, repo, extraFiles: { 'pytorch_model.bin': Buffer.alloc(1000), 'README.md': Buffer.from('# card') }, ...options });
  t.after(() => hub.close());
  return hub;
}

test('reachable Hub: the recommended model, its download size from the listing and its time from its config, with no weights requested', async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t);
  const rate = { backend: 'wasm' as const, nativeProducts: true, gflops: 10 };
  const r = await recommendModel(file, { env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') }, measureRate: async () => rate });
  assert.equal(r.model, repo);
  assert.equal(r.source, 'hub');
  assert.equal(r.mode, 'full');
  // Every file a download would fetch, with the bytes it has on disk: nothing else (README, the pickle) is counted.
  assert.deepEqual(r.download?.files.map((f) => f.path).sort(), [...downloaded].sort());
  assert.equal(r.download?.bytes, downloaded.reduce((a, f) => a + statSync(join(modelDir, f)).size, 0));
  assert.equal(r.download?.endpoint, hub.url);
  assert.deepEqual(r.data, { examples: 200, labels: 4, trainExamples: 160, evalExamples: 40, tokensPerText: 10 });

  // The run's FLOPs from the config (Kaplan et al.: 2 per encoder weight and token, plus attention), worked out here.
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { hidden_size: number; intermediate_size: number; num_hidden_layers: number };
  const d = config.hidden_size;
  const ff = config.intermediate_size;
  const layers = config.num_hidden_layers;
  const perLayer = 4 * (d * d + d) + 2 * d + (d * ff + ff) + (ff * d + d) + 2 * d;
  const tokens = 10;
  const forward = (2 * perLayer * layers + 2 * layers * tokens * d) * tokens;
  const flops = 3 * forward * 3 * 160 + forward * ((3 + 1) * 20 + 2 * 20);
  assert.equal(r.estimate?.flops, flops);
  assert.equal(r.estimate?.epochs, 3);
  assert.ok(Math.abs((r.estimate?.seconds ?? 0) - flops / (10e9 * productShareOfStep)) < 1e-9);
  assert.ok((r.estimate?.memoryBytes ?? 0) > 0);
  assert.match(r.reason, /200 examples, 4 labels and ~10 tokens per text/);

  // The listing and config.json, then the larger candidates' listings (absent here): never a weights file.
  assert.ok(hub.requests.some((q) => q.path === `/api/models/${repo}/tree/main`));
  assert.ok(hub.requests.some((q) => q.path === `/${repo}/resolve/main/config.json`));
  assert.deepEqual(hub.requests.filter((q) => weightRequest(q.path)), []);
  for (const candidate of defaultCandidates().slice(1)) assert.ok(hub.requests.some((q) => q.path === `/api/models/${candidate.id}/tree/main`), candidate.id);
});

test('the product rate is measured on this machine when no probe is given, and the estimate is derived from it', async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t);
  const r = await recommendModel(file, { env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') }, backend: 'cpu' });
  assert.equal(r.model, repo);
  assert.equal(r.machine?.backend, 'cpu');
  const measured = r.estimate?.measuredGflops ?? 0;
  assert.ok(measured > 0 && Number.isFinite(measured));
  // cpu runs one replica per core; the time follows from the measured rate, the products' share and the replicas.
  assert.ok((r.estimate?.seconds ?? 0) > 0);
  assert.match(r.estimate?.basis ?? '', /GFLOP\/s measured here/);
});

test('a model expected to take longer than the budget is not proposed: the n-gram model, saying how long it would take', async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t);
  const slow = { backend: 'wasm' as const, nativeProducts: true, gflops: 1e-6 };
  const r = await recommendModel(file, { env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') }, measureRate: async () => slow });
  assert.equal(r.model, 'ngram');
  assert.equal(r.source, 'builtin');
  assert.match(r.reason, new RegExp(`${repo} would take about [\\d.]+ h here, over the 20 min the defaults allow`));
  assert.deepEqual(hub.requests.filter((q) => weightRequest(q.path)), []);
});

test('unreachable Hub: the n-gram model with the reason, at once', async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t);
  await hub.close();
  const r = await recommendModel(file, { env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') }, measureRate: async () => assert.fail('no probe without a model') });
  assert.equal(r.model, 'ngram');
  assert.equal(r.source, 'builtin');
  assert.match(r.reason, /^the Hugging Face Hub cannot be used: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
});

test('a Hub that never answers: the n-gram model after the timeout, not a hang', { timeout: 30_000 }, async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t, { stall: true });
  const r = await recommendModel(file, { env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') }, timeoutMs: 300 });
  assert.equal(r.model, 'ngram');
  assert.match(r.reason, /did not answer in time/);
  assert.equal(hub.requests.length, 1, 'gave up after the first unanswered request');
});

test('offline by HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE or the option: the n-gram model saying so, and the Hub is never asked', async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t);
  const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') };
  const byHub = await recommendModel(file, { env: { ...env, HF_HUB_OFFLINE: '1' } });
  assert.deepEqual(byHub, { model: 'ngram', source: 'builtin', mode: 'full', reason: 'offline (HF_HUB_OFFLINE is set): the built-in n-gram model, which needs no download' });
  assert.match((await recommendModel(file, { env: { ...env, TRANSFORMERS_OFFLINE: 'true' } })).reason, /^offline \(TRANSFORMERS_OFFLINE is set\)/);
  assert.match((await recommendModel(file, { env, offline: true })).reason, /^offline \(offline mode is on\)/);
  assert.equal((await recommendModel(file, { env: { ...env, HF_HUB_OFFLINE: '0' }, measureRate: async () => ({ backend: 'wasm', nativeProducts: true, gflops: 10 }) })).model, repo, 'HF_HUB_OFFLINE=0 is online');
  assert.equal(hub.requests.filter((q) => q.path.includes('tree')).length, defaultCandidates().length, 'only the online call asked');
});

test('the CLI prints the proposal with download size and expected time, or the reason, and --json the whole answer', async (t) => {
  const { dir, file } = dataset(t);
  const hub = await hubFor(t);
  process.env.HF_ENDPOINT = hub.url;
  process.env.HF_HUB_CACHE = join(dir, 'no-cache');
  t.after(() => {
    delete process.env.HF_ENDPOINT;
    delete process.env.HF_HUB_CACHE;
  });
  const text = await runCliCapture(['recommend', file, '--backend', 'cpu'], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^Model: ${repo}\\nDownload: [\\d.]+ MB \\(6 files from http://127\\.0\\.0\\.1:\\d+; nothing downloaded yet\\)\\nExpected training time: `));
  const json = await runCliCapture(['recommend', file, '--json', '--offline'], dir);
  assert.equal(JSON.parse(json.stdout).reason, 'offline (offline mode is on): the built-in n-gram model, which needs no download');
  assert.deepEqual(hub.requests.filter((q) => weightRequest(q.path)), []);
});

test('facts from the caller\'s own inspection are used as given (the file is not read again), and bad ones refused', async (t) => {
  const { dir } = dataset(t);
  const hub = await hubFor(t);
  const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'no-cache') };
  const rate = async () => ({ backend: 'wasm' as const, nativeProducts: true, gflops: 10 });
  const facts = { examples: 1000, labels: 5, tokensMean: 31.2, siblingExampleCounts: { [join(dir, 'validation.jsonl')]: 100, [join(dir, 'test.jsonl')]: 50 } };
  const r = await recommendModel(join(dir, 'never-read.jsonl'), { env, facts, measureRate: rate });
  assert.equal(r.model, repo);
  assert.deepEqual(r.data, { examples: 1000, labels: 5, trainExamples: 1000, evalExamples: 150, tokensPerText: 32 });
  await assert.rejects(recommendModel(join(dir, 'never-read.jsonl'), { env, facts: { ...facts, examples: 0 }, measureRate: rate }), /facts must hold whole positive/);
});

test('filesToDownload picks what a download fetches: single safetensors, else index and shards, else .bin; none without weights', () => {
  const f = (path: string, bytes = 1) => ({ path, bytes });
  assert.deepEqual(filesToDownload([f('config.json'), f('model.safetensors', 9), f('pytorch_model.bin'), f('vocab.txt'), f('README.md')]), [f('config.json'), f('model.safetensors', 9), f('vocab.txt')]);
  assert.deepEqual(
    filesToDownload([f('config.json'), f('model.safetensors.index.json'), f('model-00001-of-00002.safetensors', 5), f('model-00002-of-00002.safetensors', 6), f('tokenizer.json')])?.map((x) => x.path),
    ['config.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'tokenizer.json'],
  );
  assert.deepEqual(filesToDownload([f('config.json'), f('pytorch_model.bin'), f('vocab.txt')])?.map((x) => x.path), ['config.json', 'pytorch_model.bin', 'vocab.txt']);
  assert.equal(filesToDownload([f('config.json'), f('tf_model.h5')]), undefined);
  assert.equal(filesToDownload([f('model.safetensors')]), undefined);
});
