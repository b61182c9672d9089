// resolveModel: a local folder, a hub id already in the HF cache (found through HF_HOME), and a hub id
// downloaded from HF_ENDPOINT (a local server), then found offline in the cache.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { resolveModel } from '../../../../src/engine/hub/modelSource';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';
import { startHubServer } from '../../../helpers/hubServer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));

test('a local folder resolves to itself (relative paths too); a missing one is a clear error', async () => {
  assert.deepEqual(await resolveModel(modelDir), { dir: modelDir, id: modelDir, source: 'folder' });
  assert.equal((await resolveModel(relative(process.cwd(), modelDir))).dir, modelDir);
  await assert.rejects(resolveModel('./no/such/folder'), (err: unknown) => err instanceof EngineError && /no such model folder/.test(err.message));
  await assert.rejects(resolveModel('not a model id!'), (err: unknown) => err instanceof EngineError && /neither a model folder nor a Hugging Face model id/.test(err.message));
});

test('a hub id is downloaded from HF_ENDPOINT into $HF_HOME/hub, then served from the cache offline', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'cw-hfhome-'));
  const hub = await startHubServer({ modelDir, repo: 'org/bert-tiny-random' });
  const saved = { HF_HOME: process.env.HF_HOME, HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_CACHE: process.env.HF_HUB_CACHE, HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE };
  t.after(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await hub.close();
    rmSync(home, { recursive: true, force: true });
  });
  delete process.env.HF_HUB_CACHE;
  delete process.env.HF_HUB_OFFLINE;
  process.env.HF_HOME = home;
  process.env.HF_ENDPOINT = hub.url;

  let reports = 0;
  const first = await resolveModel('org/bert-tiny-random', { onProgress: () => reports++ });
  const snapshot = join(home, 'hub', 'models--org--bert-tiny-random', 'snapshots', hub.commit);
  assert.deepEqual(first, { dir: snapshot, id: 'org/bert-tiny-random', source: 'hub', commit: hub.commit });
  assert.ok(reports > 0);
  // The snapshot folder given as a path keeps its hub id.
  assert.deepEqual(await resolveModel(snapshot), { dir: snapshot, id: 'org/bert-tiny-random', source: 'cache', commit: hub.commit });

  await hub.close();
  // The server is gone: the cache answers, online or offline.
  assert.deepEqual(await resolveModel('org/bert-tiny-random'), { ...first, source: 'cache' });
  assert.equal((await resolveModel('org/bert-tiny-random', { offline: true, revision: hub.commit })).source, 'cache');
  await assert.rejects(resolveModel('org/other-model', { offline: true }), (err: unknown) => err instanceof EngineError && /not in the local Hugging Face cache and HF_HUB_OFFLINE/.test(err.message));

  // An incomplete snapshot (weights link removed) is completed from the Hub, not used as it is.
  unlinkSync(join(snapshot, 'model.safetensors'));
  await assert.rejects(resolveModel('org/bert-tiny-random', { offline: true }), (err: unknown) => err instanceof EngineError && /model\.safetensors is missing/.test(err.message));
  const again = await startHubServer({ modelDir, repo: 'org/bert-tiny-random' });
  t.after(() => again.close());
  const completed = await resolveModel('org/bert-tiny-random', { endpoint: again.url });
  assert.equal(completed.source, 'hub');
  // Only the missing link had to be made: blobs were all there, so no file body was fetched again.
  assert.equal(again.requests.filter((r) => r.method === 'GET').length, 0);
  // refresh asks the Hub even though the snapshot is complete (HEAD requests only: nothing changed).
  const heads = again.requests.length;
  assert.equal((await resolveModel('org/bert-tiny-random', { endpoint: again.url, refresh: true })).source, 'hub');
  assert.ok(again.requests.length > heads);
  assert.equal(again.requests.filter((r) => r.method === 'GET').length, 0);

  const controller = new AbortController();
  controller.abort();
  await assert.rejects(resolveModel('org/never-downloaded', { endpoint: again.url, signal: controller.signal }), (err: unknown) => err instanceof EngineError && err.code === EngineErrorCodes.cancelled);
});
