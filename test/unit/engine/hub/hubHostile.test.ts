// A hostile Hub server (issue 17, kinds 1 and 2): each answer that could turn a name from the network into a path
// outside the cache, or a body into an unbounded write, is refused with a clear error, and the folder around the
// cache is byte-for-byte unchanged afterwards. The reproducers of the issue come first, then variants.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { downloadModel } from '../../../../src/engine/hub/hubDownload';
import { findCachedSnapshot } from '../../../../src/engine/hub/hfCache';
import { resolveModel } from '../../../../src/engine/hub/modelSource';
import { EngineError } from '../../../../src/engine/errors';
import { startHubServer, type HostileAnswer } from '../../../helpers/hubServer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
/** The Hub server of these tests serves the shared model's files. */
const test = testsNeeding(shared('models/bert-tiny-random'));
const repo = 'tiny-org/bert-tiny';
const BAIT = ['config.json', 'vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'model.safetensors'];

/**
 * A folder tree `root/home/cache` (the hub cache) where `home` and `home/escaped` hold files a traversal would
 * target (the model's own file names), so that any write, link or delete outside the cache shows.
 */
function hostileWorld(t: { after(fn: () => void): void }): { root: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'cw-hostile-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  for (const dir of [home, join(home, 'escaped'), join(root, 'escaped')]) {
    mkdirSync(dir, { recursive: true });
    for (const name of BAIT) writeFileSync(join(dir, name), `the user's own ${name} in ${relative(root, dir) || '.'}`);
  }
  const cacheDir = join(home, 'cache');
  mkdirSync(cacheDir);
  return { root, cacheDir };
}

/** Every path under `dir` except `skip`, with what it is: file bytes (hashed), link target or folder. */
function listing(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (path === skip) continue;
      const info = lstatSync(path);
      const key = relative(dir, path);
      if (info.isSymbolicLink()) out[key] = `link → ${readlinkSync(path)}`;
      else if (info.isDirectory()) {
        out[key] = 'folder';
        walk(path);
      } else out[key] = `file ${createHash('sha256').update(readFileSync(path)).digest('hex')} mode ${info.mode}`;
    }
  };
  walk(dir);
  return out;
}

/** Every symlink in the cache resolves inside it, and every refs/ file holds a 40-hex commit. */
function assertCacheSelfContained(cacheDir: string): void {
  const real = realpathSync(cacheDir);
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const info = lstatSync(path);
      if (info.isSymbolicLink()) {
        const target = resolve(dirname(path), readlinkSync(path));
        assert.ok(target.startsWith(real + sep) || target.startsWith(resolve(cacheDir) + sep), `${path} links outside the cache to ${target}`);
      } else if (info.isDirectory()) walk(path);
      else if (relative(cacheDir, path).split(sep).includes('refs')) assert.match(readFileSync(path, 'utf8'), /^[0-9a-f]{40}$/, path);
    }
  };
  walk(cacheDir);
}

/**
 * Runs one download against a server giving `hostile`, then checks: it failed with an EngineError whose message
 * matches `expected`, the world outside the cache is unchanged, and the cache stayed self-contained.
 */
async function expectRefused(t: { after(fn: () => void): void }, hostile: HostileAnswer, expected: RegExp, options: { revision?: string } = {}): Promise<{ cacheDir: string; message: string }> {
  const { root, cacheDir } = hostileWorld(t);
  const before = listing(root, cacheDir);
  const hub = await startHubServer({ modelDir, repo, hostile });
  t.after(() => hub.close());
  let error: unknown;
  try {
    await downloadModel(repo, { cacheDir, endpoint: hub.url, retries: 0, retryDelayMs: 1, ...options });
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
  assert.match(error.message, expected);
  assert.deepEqual(listing(root, cacheDir), before, 'the folder around the cache changed');
  assertCacheSelfContained(cacheDir);
  return { cacheDir, message: error.message };
}

test('issue reproducer: X-Repo-Commit "../../../escaped" is refused; nothing outside the cache is linked, deleted or replaced', async (t) => {
  const { cacheDir } = await expectRefused(t, { mode: 'commit', value: '../../../escaped' }, /commit "\.\.\/\.\.\/\.\.\/escaped" which is not a 40-hex commit hash/);
  // refs/main does not hold the traversal, so a later offline run cannot resolve to it.
  assert.equal(await findCachedSnapshot(cacheDir, repo), undefined);
});

test('variant: an absolute path, a short hash or upper-case hex as X-Repo-Commit is refused too', async (t) => {
  for (const value of ['/tmp/escaped', '0123456789abcdef', '0123456789ABCDEF0123456789ABCDEF01234567', '..']) {
    await expectRefused(t, { mode: 'commit', value }, /not a 40-hex commit hash/);
  }
});

test('issue reproducer: ETag ".." is refused before it names a blob (no blob in place of the repo folder)', async (t) => {
  const { cacheDir } = await expectRefused(t, { mode: 'etag', value: '..' }, /ETag "\.\." which is neither a sha256/);
  for (const entry of readdirSync(cacheDir)) assert.ok(statSync(join(cacheDir, entry)).isDirectory(), `${entry} is not a folder`);
});

test('variant: an ETag with a path, a dot-dot path or an opaque CDN tag is refused', async (t) => {
  for (const value of ['../../../escaped/config.json', 'blobs/../../x', 'abc-123']) {
    await expectRefused(t, { mode: 'etag', value }, /neither a sha256 \(64 hex\) nor a git blob id/);
  }
});

test('a shard named by the index as an absolute path, a dot-dot path or a backslash path is refused', async (t) => {
  for (const value of ['/tmp/escaped.safetensors', '../../../escaped/model.safetensors', '..\\..\\escaped.safetensors', '..']) {
    await expectRefused(t, { mode: 'shardName', value }, /names the file .* which is not a plain file name/);
  }
});

test('a redirect to file:, data: or an odd scheme is refused; a relative ../ Location stays a URL, never a path', async (t) => {
  for (const value of ['file:///etc/passwd', 'data:application/octet-stream;base64,AAAA', 'ftp://127.0.0.1/x']) {
    await expectRefused(t, { mode: 'location', value }, /redirected to .* not an http\(s\) address/);
  }
  await expectRefused(t, { mode: 'location', value: '../../../../../escaped/model.safetensors' }, /HTTP 404 while downloading model\.safetensors/);
});

test('issue reproducer: a body that never ends stops at the declared size and leaves no partial file', async (t) => {
  for (const file of ['config.json', 'model.safetensors']) {
    const { cacheDir, message } = await expectRefused(t, { mode: 'endlessBody', file }, /sent more than the \d+ bytes it declared/);
    assert.match(message, new RegExp(file.replace('.', '\\.')));
    const blobs = join(cacheDir, 'models--tiny-org--bert-tiny', 'blobs');
    assert.deepEqual(readdirSync(blobs).filter((f) => !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(f)), [], 'a partial or lock file was left');
    const stored = readdirSync(blobs).reduce((a, f) => a + statSync(join(blobs, f)).size, 0);
    assert.ok(stored <= statSync(join(modelDir, 'model.safetensors')).size + 1024 * 1024, `${stored} bytes stored`);
  }
});

test('variant: a body longer than declared (chunked, or announced by Content-Length) is refused the same way', async (t) => {
  await expectRefused(t, { mode: 'oversizedBody', file: 'vocab.txt', extraBytes: 10 }, /sent more than the \d+ bytes it declared for vocab\.txt/);
  await expectRefused(t, { mode: 'oversizedBody', file: 'model.safetensors', extraBytes: 1, declareLength: true }, /sent more than the \d+ bytes it declared for model\.safetensors/);
});

test('a small file declared over its cap (a 300 MB tokenizer.json, a 17 MiB config.json) is not downloaded at all', async (t) => {
  await expectRefused(t, { mode: 'declaredSize', file: 'tokenizer.json', size: 300 * 1024 * 1024 }, /declares 314572800 bytes for tokenizer\.json, over its cap of 67108864 bytes/);
  await expectRefused(t, { mode: 'declaredSize', file: 'config.json', size: 17 * 1024 * 1024 }, /declares 17825792 bytes for config\.json, over its cap of 16777216 bytes/);
});

test('a revision or repo id from the user that would leave the cache is refused before any request', async (t) => {
  const { root, cacheDir } = hostileWorld(t);
  const before = listing(root, cacheDir);
  const hub = await startHubServer({ modelDir, repo });
  t.after(() => hub.close());
  for (const revision of ['../../../escaped', '/abs', 'a//b', 'refs/../../x', '.hidden', 'x.lock']) {
    await assert.rejects(downloadModel(repo, { cacheDir, endpoint: hub.url, revision }), /is not a branch, tag, commit hash or refs\/pr\/N/);
    await assert.rejects(resolveModel(repo, { cacheDir, offline: true, revision }), /is not a branch, tag, commit hash or refs\/pr\/N/);
  }
  await assert.rejects(downloadModel('../escaped', { cacheDir, endpoint: hub.url }), /is not a Hugging Face model id/);
  assert.equal(hub.requests.length, 0);
  assert.deepEqual(listing(root, cacheDir), before);
});

test('refs/pr/N is stored as huggingface_hub stores it (refs/refs/pr/N) and found again offline', async (t) => {
  const { cacheDir } = hostileWorld(t);
  const hub = await startHubServer({ modelDir, repo, revisions: ['refs/pr/1'] });
  t.after(() => hub.close());
  const result = await downloadModel(repo, { cacheDir, endpoint: hub.url, revision: 'refs/pr/1' });
  const repoDir = join(cacheDir, 'models--tiny-org--bert-tiny');
  assert.equal(readFileSync(join(repoDir, 'refs', 'refs', 'pr', '1'), 'utf8'), hub.commit);
  assert.ok(hub.requests.some((r) => r.path.includes('/resolve/refs%2Fpr%2F1/config.json')));
  // Files after config.json are asked for at its commit, so a moving branch cannot mix two commits.
  assert.ok(hub.requests.some((r) => r.path.includes(`/resolve/${hub.commit}/vocab.txt`)));
  assert.deepEqual(await findCachedSnapshot(cacheDir, repo, 'refs/pr/1'), { dir: result.dir, commit: hub.commit });
});

test('a refs/ file poisoned before this check (a traversal, or a FIFO) is treated as not cached, never followed', async (t) => {
  const { cacheDir } = hostileWorld(t);
  const repoDir = join(cacheDir, 'models--tiny-org--bert-tiny');
  mkdirSync(join(repoDir, 'refs'), { recursive: true });
  mkdirSync(join(repoDir, 'snapshots'), { recursive: true });
  writeFileSync(join(repoDir, 'refs', 'main'), '../../../escaped');
  // Even if a snapshot link existed at the traversal, the ref must not be followed.
  symlinkSync(join(cacheDir, '..', 'escaped'), join(repoDir, 'snapshots', 'evil'));
  writeFileSync(join(repoDir, 'refs', 'v1'), 'evil');
  execFileSync('mkfifo', [join(repoDir, 'refs', 'v2')]);
  assert.equal(await findCachedSnapshot(cacheDir, repo), undefined);
  assert.equal(await findCachedSnapshot(cacheDir, repo, 'v1'), undefined);
  assert.equal(await findCachedSnapshot(cacheDir, repo, 'v2'), undefined);
  await assert.rejects(resolveModel(repo, { cacheDir, offline: true }), /is not in the local Hugging Face cache/);
});
