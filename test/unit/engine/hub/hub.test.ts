// Hub downloads against a local server that behaves like the Hub: cache layout, only the needed files,
// resume after a dropped connection, abort and resume, progress, and clear errors. Never the real network.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadModel, type DownloadProgress } from '../../../../src/engine/hub/hubDownload';
import { validateModelFolder } from '../../../../src/engine/hub/modelFolder';
import { writeSafetensors } from '../../../../src/engine/tensorFiles/safetensors';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';
import { startHubServer } from '../../../helpers/hubServer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
/** The Hub server of these tests serves the shared model's files. */
const test = testsNeeding(shared('models/bert-tiny-random'));
const repo = 'tiny-org/bert-tiny';
const weightsBytes = statSync(join(modelDir, 'model.safetensors')).size;

function tempCache(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-hub-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('downloads only the needed files into the huggingface_hub cache layout, with progress', async (t) => {
  const hub = await startHubServer({ modelDir, repo, extraFiles: { 'pytorch_model.bin': Buffer.alloc(1000), 'README.md': Buffer.from('x') } });
  t.after(() => hub.close());
  const cacheDir = tempCache(t);
  const progress: DownloadProgress[] = [];
  const result = await downloadModel(repo, { cacheDir, endpoint: hub.url, onProgress: (p) => progress.push(p) });
  const repoDir = join(cacheDir, 'models--tiny-org--bert-tiny');
  assert.equal(result.commit, hub.commit);
  assert.equal(result.dir, join(repoDir, 'snapshots', hub.commit));
  assert.equal(readFileSync(join(repoDir, 'refs', 'main'), 'utf8'), hub.commit);
  assert.deepEqual(readdirSync(result.dir).sort(), ['config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
  for (const name of readdirSync(result.dir)) {
    const link = join(result.dir, name);
    assert.ok(lstatSync(link).isSymbolicLink(), name);
    assert.match(readlinkSync(link), /^\.\.\/\.\.\/blobs\/[0-9a-f]{40,64}$/);
    assert.ok(readFileSync(link).equals(readFileSync(join(modelDir, name))), name);
  }
  // Pickles and other files are never requested.
  assert.ok(!hub.requests.some((r) => r.method === 'GET' && /\.bin$|README/.test(r.path)));
  const last = progress[progress.length - 1];
  assert.equal(last.doneBytes, last.totalBytes);
  assert.ok(last.totalBytes > weightsBytes);
  assert.ok(progress.some((p) => p.file === 'model.safetensors' && p.fileTotal === weightsBytes));

  // A second call finds every blob in place and downloads nothing.
  const gets = hub.requests.filter((r) => r.method === 'GET').length;
  await downloadModel(repo, { cacheDir, endpoint: hub.url });
  assert.equal(hub.requests.filter((r) => r.method === 'GET').length, gets);
});

test('regular files behind the Hub\'s relative /api/resolve-cache/ redirect download the same', async (t) => {
  const hub = await startHubServer({ modelDir, repo, resolveCache: true });
  t.after(() => hub.close());
  const cacheDir = tempCache(t);
  const result = await downloadModel(repo, { cacheDir, endpoint: hub.url });
  assert.equal(result.commit, hub.commit);
  assert.ok(hub.requests.some((r) => r.method === 'GET' && r.path.startsWith('/api/resolve-cache/')));
  for (const name of ['config.json', 'vocab.txt', 'model.safetensors']) {
    assert.ok(readFileSync(join(result.dir, name)).equals(readFileSync(join(modelDir, name))), name);
  }
});

test('two downloads of the same model at once fetch each file once (a lock per blob)', async (t) => {
  const hub = await startHubServer({ modelDir, repo });
  t.after(() => hub.close());
  const cacheDir = tempCache(t);
  hub.throttle(1024 * 1024, 2);
  const [a, b] = await Promise.all([downloadModel(repo, { cacheDir, endpoint: hub.url }), downloadModel(repo, { cacheDir, endpoint: hub.url })]);
  assert.equal(a.dir, b.dir);
  assert.equal(hub.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/lfs-storage/')).length, 1);
  assert.ok(readFileSync(join(a.dir, 'model.safetensors')).equals(readFileSync(join(modelDir, 'model.safetensors'))));
  assert.ok(!readdirSync(join(cacheDir, 'models--tiny-org--bert-tiny', 'blobs')).some((f) => f.endsWith('.lock')));
});

test('a connection dropped mid-file is resumed with a Range request and the file is intact', async (t) => {
  const hub = await startHubServer({ modelDir, repo });
  t.after(() => hub.close());
  const cacheDir = tempCache(t);
  hub.dropAfter(5_000_000, 2);
  const result = await downloadModel(repo, { cacheDir, endpoint: hub.url, retryDelayMs: 1 });
  const ranges = hub.requests.filter((r) => r.path.startsWith('/lfs-storage/')).map((r) => r.range);
  // Only the weights are longer than the drop point: cut twice, resumed twice from where each stopped.
  const starts = ranges.filter((r) => r !== undefined).map((r) => Number(/^bytes=(\d+)-$/.exec(r!)![1]));
  assert.equal(starts.length, 2, JSON.stringify(ranges));
  assert.ok(starts[0] > 4_000_000 && starts[0] <= 5_000_000 && starts[1] > starts[0] + 4_000_000 && starts[1] <= 10_000_000, JSON.stringify(starts));
  assert.ok(readFileSync(join(result.dir, 'model.safetensors')).equals(readFileSync(join(modelDir, 'model.safetensors'))));
  assert.ok(!readdirSync(join(cacheDir, 'models--tiny-org--bert-tiny', 'blobs')).some((f) => f.endsWith('.incomplete')));
});

test('an aborted download keeps its .incomplete part, and the next call resumes from it', async (t) => {
  const hub = await startHubServer({ modelDir, repo });
  t.after(() => hub.close());
  const cacheDir = tempCache(t);
  hub.throttle(256 * 1024, 5);
  const controller = new AbortController();
  await assert.rejects(
    downloadModel(repo, {
      cacheDir, endpoint: hub.url, signal: controller.signal,
      onProgress: (p) => { if (p.file === 'model.safetensors' && p.fileBytes > 2_000_000) controller.abort(); },
    }),
    (err: unknown) => err instanceof EngineError && err.code === EngineErrorCodes.cancelled,
  );
  const blobs = join(cacheDir, 'models--tiny-org--bert-tiny', 'blobs');
  const partial = readdirSync(blobs).find((f) => f.endsWith('.incomplete'));
  assert.ok(partial, 'a partial file is kept');
  const kept = statSync(join(blobs, partial)).size;
  assert.ok(kept > 2_000_000 && kept < weightsBytes, String(kept));
  hub.throttle(0, 0);
  const result = await downloadModel(repo, { cacheDir, endpoint: hub.url });
  const lastWeights = hub.requests.filter((r) => r.path.startsWith('/lfs-storage/') && r.method === 'GET').pop();
  assert.equal(lastWeights?.range, `bytes=${kept}-`);
  assert.ok(readFileSync(join(result.dir, 'model.safetensors')).equals(readFileSync(join(modelDir, 'model.safetensors'))));
});

test('sharded safetensors: the index and every shard it names are downloaded', async (t) => {
  const cacheDir = tempCache(t);
  const repoFiles = tempCache(t);
  for (const f of ['config.json', 'vocab.txt', 'tokenizer_config.json']) copyFileSync(join(modelDir, f), join(repoFiles, f));
  await writeSafetensors(join(repoFiles, 'model-00001-of-00002.safetensors'), { a: { shape: [3], data: new Float32Array([1, 2, 3]) } });
  await writeSafetensors(join(repoFiles, 'model-00002-of-00002.safetensors'), { b: { shape: [1], data: new Float32Array([4]) } });
  writeFileSync(join(repoFiles, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' } }));
  const hub = await startHubServer({ modelDir: repoFiles, repo, extraFiles: { 'model-00003-of-00003.safetensors': Buffer.alloc(8) } });
  t.after(() => hub.close());
  const result = await downloadModel(repo, { cacheDir, endpoint: hub.url });
  assert.deepEqual(result.files.sort(), ['config.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json', 'tokenizer_config.json', 'vocab.txt']);
  const folder = await validateModelFolder(result.dir);
  assert.equal(folder.weightFiles.length, 2);
  assert.equal(folder.tokenizer, 'vocab.txt');
});

test('clear errors: unknown repo, no tokenizer, refused access, unreachable endpoint; a .bin-only repo downloads its .bin', async (t) => {
  const cacheDir = tempCache(t);
  const full = await startHubServer({ modelDir, repo });
  const binOnly = await startHubServer({ modelDir, repo, files: ['config.json', 'vocab.txt'], extraFiles: { 'pytorch_model.bin': Buffer.alloc(100) } });
  const noTokenizer = await startHubServer({ modelDir, repo, files: ['config.json', 'model.safetensors'] });
  const gated = await startHubServer({ modelDir, repo, token: 'secret' });
  t.after(async () => { await full.close(); await binOnly.close(); await noTokenizer.close(); await gated.close(); });
  const expectError = async (promise: Promise<unknown>, message: RegExp): Promise<void> => {
    await assert.rejects(promise, (err: unknown) => {
      assert.ok(err instanceof EngineError, String(err));
      assert.equal(err.code, EngineErrorCodes.invalidModel);
      assert.match(err.message, message);
      assert.ok(err.data.file, 'names the URL');
      return true;
    });
  };
  await expectError(downloadModel('nobody/nothing', { cacheDir, endpoint: full.url }), /no model "nobody\/nothing".*check the id/);
  await expectError(downloadModel(repo, { cacheDir, endpoint: full.url, revision: 'v9' }), /revision v9/);
  // The restricted reader loads .bin weights (tensorFiles/pytorchBin.ts), so they are fetched like safetensors.
  assert.deepEqual((await downloadModel(repo, { cacheDir, endpoint: binOnly.url })).files.sort(), ['config.json', 'pytorch_model.bin', 'vocab.txt']);
  await expectError(downloadModel(repo, { cacheDir, endpoint: noTokenizer.url }), /no tokenizer\.json, vocab\.txt, vocab\.json with merges\.txt, or spm\.model/);
  await expectError(downloadModel(repo, { cacheDir, endpoint: gated.url }), /HTTP 401.*HF_TOKEN/);
  await expectError(downloadModel(repo, { cacheDir, endpoint: 'http://127.0.0.1:9' }), /cannot reach http:\/\/127\.0\.0\.1:9.*HF_ENDPOINT/);
  // With the token the gated repo downloads.
  const ok = await downloadModel(repo, { cacheDir, endpoint: gated.url, token: 'secret' });
  assert.ok(existsSync(join(ok.dir, 'model.safetensors')));
});
