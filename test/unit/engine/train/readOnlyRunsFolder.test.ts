// A dataset in a read-only folder (a read-only mount, or a folder without write permission): training names that
// folder, says it is read-only and how to store runs elsewhere — not "no such file or folder (ENOENT)", which is
// what Node's recursive mkdir reports there (issue 15, defect 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRunsFolder, type RunsFolderFs } from '../../../../src/engine/train/runId';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';
import { runCliCapture } from '../../../helpers/runCliCapture';
import { makeReadOnlyForTest } from './readOnlyFolder';

const errno = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });

test('the ENOENT of a recursive mkdir under a read-only folder becomes "read-only", naming the folder and both ways out', async () => {
  for (const code of ['EROFS', 'EACCES']) {
    const fs: RunsFolderFs = {
      // What Node reports on a read-only mount: the error of the stat it makes after mkdir failed.
      mkdir: async () => { throw errno('ENOENT', 'mkdir', '/data/.classifier-workbench'); },
      stat: async (path) => (path === '/data' || path === '/' ? { isDirectory: () => true } : Promise.reject(errno('ENOENT', 'stat', path))),
      access: async (path) => { throw errno(code, 'access', path); },
    };
    const error = await makeRunsFolder('/data/.classifier-workbench/runs', fs).then(() => assert.fail('expected a refusal'), (e: unknown) => e);
    assert.ok(error instanceof EngineError);
    assert.equal(error.code, EngineErrorCodes.fileSystem);
    assert.equal(error.data.file, '/data');
    assert.match(error.message, new RegExp(`^/data: this folder is read-only: .*\\(${code}\\), so the runs folder /data/.classifier-workbench/runs cannot be created in it; pass --runs-dir with a folder you can write to$`));
    assert.match(error.editorMessage!, /set the "Classifier Workbench › Runs Folder" setting to a folder you can write to$/);
  }
  // A folder that is really missing (a writable parent) keeps its own error.
  const missing: RunsFolderFs = {
    mkdir: async () => { throw errno('ENOENT', 'mkdir', '/data/x'); },
    stat: async (path) => (path === '/' ? { isDirectory: () => true } : Promise.reject(errno('ENOENT', 'stat', path))),
    access: async () => undefined,
  };
  await assert.rejects(makeRunsFolder('/data/x/runs', missing), (e: unknown) => !(e instanceof EngineError) && (e as NodeJS.ErrnoException).code === 'ENOENT');
});

test('train on a read-only dataset folder says so and suggests --runs-dir, which then works', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-ro-'));
  const data = join(root, 'ro');
  mkdirSync(data);
  writeFileSync(join(data, 'train.jsonl'), `${Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `${i % 2 ? 'good' : 'bad'} ${i}`, label: i % 2 ? 'pos' : 'neg' })).join('\n')}\n`);
  const undo = makeReadOnlyForTest(data);
  t.after(() => {
    undo?.();
    rmSync(root, { recursive: true, force: true });
  });
  if (!undo) return t.skip('cannot make a folder read-only here (root without mount)');

  const refused = await runCliCapture(['train', 'ro/train.jsonl', '--model', 'ngram', '--epochs', '1'], root);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, new RegExp(`${data}: this folder is read-only: .*\\((EROFS|EACCES)\\).*pass --runs-dir with a folder you can write to`));
  assert.doesNotMatch(refused.stderr, /ENOENT|no such file/);

  const runsDir = join(root, 'runs');
  const trained = await runCliCapture(['train', 'ro/train.jsonl', '--model', 'ngram', '--epochs', '1', '--runs-dir', runsDir], root);
  assert.equal(trained.code, 0, trained.stderr);
  assert.equal(readdirSync(runsDir).length, 1);
});
