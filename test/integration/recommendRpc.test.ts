// `model/recommend` through the real engine process (dist/engine.js, as the extension spawns it, with HF_ENDPOINT in
// its environment) against the local Hub test server: a reachable Hub gives the recommended model with download size
// and expected time (the bundled engine measures its product rate) and no weights request; an unreachable one, or
// HF_HUB_OFFLINE in the engine's environment, gives the n-gram model with the reason; bad params are refused.
// Needs `npm run build` first (npm test does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../../src/extension/engine/engineClient';
import { ModelRecommend } from '../../src/protocol/modelRecommendation';
import { startHubServer } from '../helpers/hubServer';
import { needs, shared, sharedPath } from '../helpers/requirements';

const root = join(__dirname, '..', '..');
const enginePath = process.env.CLASSIFIER_WORKBENCH_ENGINE ?? join(root, 'dist', 'engine.js');
const repo = 'google/bert_uncased_L-2_H-128_A-2';
const needsModel = needs(shared('models/bert-tiny-random'));

function engine(env: Record<string, string | undefined>): EngineClient {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run npm run build first`);
  return new EngineClient({ process: { modulePath: enginePath, env }, output: { appendLine: () => undefined }, clientName: 'test' });
}

function dataset(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-recommend-rpc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const labels = ['a', 'b', 'c'];
  const file = join(dir, 'train.jsonl');
  writeFileSync(file, `${Array.from({ length: 90 }, (_, i) => JSON.stringify({ text: `line ${i} of the sample text`, label: labels[i % 3] })).join('\n')}\n`);
  return file;
}

test('the engine process recommends the Hub model when reachable and the n-gram model with the reason when not', { ...needsModel, timeout: 120_000 }, async (t) => {
  const file = dataset(t);
  const hub = await startHubServer({ modelDir: sharedPath('models', 'bert-tiny-random'), repo });
  t.after(() => hub.close());
  const client = engine({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(file, '..', 'no-cache'), HF_HUB_OFFLINE: undefined, TRANSFORMERS_OFFLINE: undefined });
  t.after(() => client.dispose());

  const online = await client.request(ModelRecommend.type, { path: file, backend: 'wasm' });
  assert.equal(online.model, repo);
  assert.equal(online.source, 'hub');
  assert.ok((online.download?.bytes ?? 0) > 17_000_000, 'the weights are counted from the listing');
  assert.ok((online.estimate?.seconds ?? 0) > 0 && (online.estimate?.measuredGflops ?? 0) > 0);
  assert.equal(online.machine?.backend, 'wasm');
  assert.deepEqual(hub.requests.filter((q) => /\.safetensors$|^\/lfs-storage\//.test(q.path)), []);

  const offline = await client.request(ModelRecommend.type, { path: file, offline: true });
  assert.equal(offline.model, 'ngram');
  assert.match(offline.reason, /^offline \(offline mode is on\)/);

  await assert.rejects(client.request(ModelRecommend.type, { path: file, timeoutMs: 5 }), /timeoutMs must be ≥ 100/);

  await hub.close();
  const unreachable = await client.request(ModelRecommend.type, { path: file });
  assert.equal(unreachable.model, 'ngram');
  assert.match(unreachable.reason, /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
});

test('HF_HUB_OFFLINE in the engine\'s environment: the n-gram model, and the Hub is not asked', { ...needsModel, timeout: 60_000 }, async (t) => {
  const file = dataset(t);
  const hub = await startHubServer({ modelDir: sharedPath('models', 'bert-tiny-random'), repo });
  t.after(() => hub.close());
  const client = engine({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(file, '..', 'no-cache'), HF_HUB_OFFLINE: '1' });
  t.after(() => client.dispose());
  const r = await client.request(ModelRecommend.type, { path: file });
  assert.deepEqual([r.model, r.reason], ['ngram', 'offline (HF_HUB_OFFLINE is set): the built-in n-gram model, which needs no download']);
  assert.deepEqual(hub.requests, []);
});
