// The Hub as it is, against the local Hub test server: a checkpoint whose main branch has only pytorch_model.bin
// and whose safetensors live in the conversion bot's refs/pr/N; config.json checked before any weight request.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModel } from '../../../../src/engine/hub/modelSource';
import { checkEncoderConfig } from '../../../../src/engine/models/bert/bertConfig';
import { loadBertModel } from '../../../../src/engine/models/bert/loadBertModel';
import { EngineError } from '../../../../src/engine/errors';
import { startHubServer } from '../../../helpers/hubServer';
import { needs, python, pythonModule } from '../../../helpers/requirements';

const fixture = join(__dirname, '..', '..', '..', 'fixtures', 'families', 'roberta-tiny-random');
const reference = join(__dirname, '..', '..', '..', 'reference', 'torch_encoders.py');
const repo = 'cardiff-like/roberta-tiny';
const prCommit = 'fedcba9876543210fedcba9876543210fedcba98';

function tempDir(t: TestContext, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), name));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('main with only pytorch_model.bin and refs/pr/1 with safetensors: both download into one cache and load the same weights', needs(pythonModule('torch')), async (t) => {
  const binOnly = tempDir(t, 'roberta-bin-');
  const r = spawnSync(python, [reference, 'to-bin', fixture, binOnly], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const hub = await startHubServer({ modelDir: binOnly, repo, branches: [{ name: 'refs/pr/1', commit: prCommit, modelDir: fixture }] });
  t.after(() => hub.close());
  const cacheDir = tempDir(t, 'cw-cache-');
  const options = { cacheDir, endpoint: hub.url, checkConfig: checkEncoderConfig };

  const pr = await resolveModel(repo, { ...options, revision: 'refs/pr/1' });
  assert.equal(pr.commit, prCommit);
  const repoDir = join(cacheDir, 'models--cardiff-like--roberta-tiny');
  assert.equal(pr.dir, join(repoDir, 'snapshots', prCommit));
  // huggingface_hub's layout: the ref `refs/pr/1` is the file refs/refs/pr/1 holding the commit.
  assert.equal(readFileSync(join(repoDir, 'refs', 'refs', 'pr', '1'), 'utf8'), prCommit);
  assert.ok(existsSync(join(pr.dir, 'model.safetensors')) && !existsSync(join(pr.dir, 'pytorch_model.bin')));
  // The second call is answered from the cache by the same ref.
  const again = await resolveModel(repo, { ...options, revision: 'refs/pr/1', offline: true });
  assert.equal(again.dir, pr.dir);

  const main = await resolveModel(repo, options);
  assert.equal(main.commit, hub.commit);
  assert.ok(existsSync(join(main.dir, 'pytorch_model.bin')) && !existsSync(join(main.dir, 'model.safetensors')));
  const fromBin = await loadBertModel(main.dir, 6, { requireHead: true });
  const fromSafetensors = await loadBertModel(pr.dir, 6, { requireHead: true });
  assert.deepEqual(fromBin.store.data, fromSafetensors.store.data);
});

test('an unsupported model_type is refused from config.json before any weight is requested', async (t) => {
  const dir = tempDir(t, 'gpt2-like-');
  cpSync(fixture, dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_layer: 2 }));
  writeFileSync(join(dir, 'pytorch_model.bin'), Buffer.alloc(2048));
  const hub = await startHubServer({ modelDir: dir, repo: 'someone/gpt2-tiny' });
  t.after(() => hub.close());
  await assert.rejects(resolveModel('someone/gpt2-tiny', { cacheDir: tempDir(t, 'cw-cache-'), endpoint: hub.url, checkConfig: checkEncoderConfig }), (err: unknown) => {
    assert.ok(err instanceof EngineError, String(err));
    assert.match(err.message, /Unsupported model_type "gpt2".*"roberta"/);
    assert.match(String(err.data.file), /\/someone\/gpt2-tiny\/resolve\/main\/config\.json$/);
    return true;
  });
  const files = hub.requests.map((q) => q.path.split('/').pop());
  assert.deepEqual([...new Set(files)], ['config.json'], `requests: ${hub.requests.map((q) => `${q.method} ${q.path}`).join(', ')}`);
  // A second kind: a supported type whose architecture is not (a generator) is refused the same way.
  const generator = tempDir(t, 'electra-gen-');
  cpSync(dir, generator, { recursive: true });
  writeFileSync(join(generator, 'config.json'), JSON.stringify({ model_type: 'electra', architectures: ['ElectraForMaskedLM'], vocab_size: 10, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16 }));
  const hub2 = await startHubServer({ modelDir: generator, repo: 'someone/electra-gen' });
  t.after(() => hub2.close());
  await assert.rejects(resolveModel('someone/electra-gen', { cacheDir: tempDir(t, 'cw-cache-'), endpoint: hub2.url, checkConfig: checkEncoderConfig }), /ELECTRA generator.*discriminator/);
  assert.deepEqual([...new Set(hub2.requests.map((q) => q.path.split('/').pop()))], ['config.json']);
});
