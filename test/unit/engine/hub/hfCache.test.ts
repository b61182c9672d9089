// The hub cache location rules and the listing the extension's quick pick shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCachedSnapshot, listCachedModels, repoFolderName } from '../../../../src/engine/hub/hfCache';
import { isRepoId } from '../../../../src/common/modelArgument';
import { hubCacheDir } from '../../../../src/common/hubCacheDir';

test('cache folder follows HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '/a', HF_HOME: '/b' }), '/a');
  assert.equal(hubCacheDir({ HF_HOME: '/b' }), join('/b', 'hub'));
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/c' }), join('/c', 'huggingface', 'hub'));
  assert.equal(hubCacheDir({}), join(homedir(), '.cache', 'huggingface', 'hub'));
  assert.equal(repoFolderName('google/bert_uncased_L-2_H-128_A-2'), 'models--google--bert_uncased_L-2_H-128_A-2');
  assert.equal(repoFolderName('bert-base-uncased'), 'models--bert-base-uncased');
  for (const ok of ['bert-base-uncased', 'prajjwal1/bert-tiny', 'sentence-transformers/all-MiniLM-L6-v2']) assert.ok(isRepoId(ok), ok);
  for (const bad of ['', '/abs/path', 'a/b/c', '../x', 'a--b/c', 'a b']) assert.ok(!isRepoId(bad), bad);
});

test('finds snapshots by ref or commit and lists cached models with revision and size', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'cw-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const commitA = 'a'.repeat(40);
  const commitB = 'b'.repeat(40);
  const repo = join(cache, 'models--org--tiny');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  mkdirSync(join(repo, 'refs'));
  writeFileSync(join(repo, 'blobs', 'blob1'), Buffer.alloc(1000));
  writeFileSync(join(repo, 'blobs', 'blob2'), Buffer.alloc(24));
  for (const commit of [commitA, commitB]) {
    mkdirSync(join(repo, 'snapshots', commit), { recursive: true });
    symlinkSync('../../blobs/blob2', join(repo, 'snapshots', commit, 'config.json'));
  }
  symlinkSync('../../blobs/blob1', join(repo, 'snapshots', commitA, 'model.safetensors'));
  writeFileSync(join(repo, 'refs', 'main'), commitA);
  mkdirSync(join(cache, 'datasets--org--data', 'snapshots', commitA), { recursive: true });

  assert.deepEqual(await findCachedSnapshot(cache, 'org/tiny'), { dir: join(repo, 'snapshots', commitA), commit: commitA });
  assert.deepEqual(await findCachedSnapshot(cache, 'org/tiny', commitB), { dir: join(repo, 'snapshots', commitB), commit: commitB });
  assert.equal(await findCachedSnapshot(cache, 'org/tiny', 'v2'), undefined);
  assert.equal(await findCachedSnapshot(cache, 'org/other'), undefined);

  const models = await listCachedModels(cache);
  const byCommit = new Map(models.map((m) => [m.commit, m]));
  assert.equal(models.length, 2);
  assert.deepEqual({ ...byCommit.get(commitA)!, modifiedMs: 0 }, { id: 'org/tiny', revision: 'main', commit: commitA, dir: join(repo, 'snapshots', commitA), sizeBytes: 1024, modifiedMs: 0, hasSafetensors: true, hasWeights: true });
  // A snapshot no ref points at is listed by its commit; its size is that of its own files.
  const b = byCommit.get(commitB)!;
  assert.equal(b.revision, commitB);
  assert.equal(b.hasSafetensors, false);
  assert.equal(b.hasWeights, false);
  assert.equal(b.sizeBytes, 24);
  assert.deepEqual(await listCachedModels(join(cache, 'missing')), []);
});
