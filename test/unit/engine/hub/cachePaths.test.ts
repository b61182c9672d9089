// The checks that stand between names from outside and paths in the hub cache: each accepts exactly its form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { checkRedirect, checkRepoFileName, checkRevision, checkServerCommit, checkServerEtag, resolveInside } from '../../../../src/engine/hub/cachePaths';

test('resolveInside keeps every built path strictly inside its root', () => {
  const root = resolve('/tmp/cache');
  assert.equal(resolveInside(root, 'models--a--b', 'snapshots', 'c'), join(root, 'models--a--b', 'snapshots', 'c'));
  assert.equal(resolveInside(root, 'a/./b'), join(root, 'a', 'b'));
  for (const parts of [['..'], ['a', '..', '..', 'x'], ['/etc/passwd'], [''], ['.'], ['a', '../..'], ['a\0b'], ['..', 'cache', 'x']]) {
    assert.throws(() => resolveInside(root, ...parts), /refusing the path .* it would leave/, JSON.stringify(parts));
  }
  // A sibling whose name starts with the root's name is outside too.
  assert.throws(() => resolveInside(root, '../cache-evil/x'), /would leave/);
});

test('server commit and ETag must be their exact hex forms', () => {
  const commit = 'a'.repeat(40);
  assert.equal(checkServerCommit(commit, 'u'), commit);
  for (const bad of ['a'.repeat(39), 'a'.repeat(41), 'A'.repeat(40), `${'a'.repeat(39)}\n`, '../x', '']) assert.throws(() => checkServerCommit(bad, 'u'), /not a 40-hex commit hash/);
  for (const good of ['b'.repeat(40), 'c'.repeat(64)]) assert.equal(checkServerEtag(good, 'f', 'u'), good);
  for (const bad of ['..', 'b'.repeat(50), 'g'.repeat(40), `${'b'.repeat(40)}/..`]) assert.throws(() => checkServerEtag(bad, 'f', 'u'), /neither a sha256/);
});

test('revisions: branch, tag, commit and refs/pr/N pass; anything that could climb or hide does not', () => {
  for (const good of ['main', 'v1.0', 'release/2024-01', 'refs/pr/3', 'a'.repeat(40), 'feature_x+y']) assert.equal(checkRevision(good), good);
  for (const bad of ['', '..', '../main', 'a/../b', '/main', 'main/', 'a//b', '.git', 'x.lock', 'a b', 'a\\b', 'ma..in', 'x'.repeat(201)]) {
    assert.throws(() => checkRevision(bad), /is not a branch, tag, commit hash or refs\/pr\/N/, bad);
  }
});

test('repo file names are one plain name; redirects are http(s) only', () => {
  assert.equal(checkRepoFileName('model-00001-of-00002.safetensors', 's'), 'model-00001-of-00002.safetensors');
  for (const bad of ['/x.safetensors', 'a/b.safetensors', '..', '..\\x.safetensors', '.hidden', 'a..b', 'C:x', '']) assert.throws(() => checkRepoFileName(bad, 's'), /not a plain file name/, bad);
  assert.equal(checkRedirect('/lfs/x', 'http://h/a').href, 'http://h/lfs/x');
  assert.equal(checkRedirect('https://cdn.example/x', 'http://h/a').host, 'cdn.example');
  for (const bad of ['file:///etc/passwd', 'data:,x', 'javascript:1', 'ftp://h/x']) assert.throws(() => checkRedirect(bad, 'http://h/a'), /not an http\(s\) address/);
});
