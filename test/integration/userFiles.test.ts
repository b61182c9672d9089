// Never delete what the user owns, and environment errors are not bugs (issue 17, kinds 4 and 5): export writes only
// into a new, empty or earlier-export folder; delete removes only run folders; a file system that refuses a write
// (genuinely: /sys refuses even root, /dev/full is always full) gives a clear error naming the path, not
// "internal error" with a stack, in the CLI and over RPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineErrorCodes } from '../../src/protocol/errors';
import { trainRun } from '../../src/engine/train/runTraining';
import { deleteRun, readRun, writeRun } from '../../src/engine/runs/runStore';
import { exportRun, EXPORT_MARKER_FILE } from '../../src/engine/runs/exportRun';
import { ensureFolder, writeFileAtomic } from '../../src/engine/atomicWrite';
import { fileSystemError, withPath } from '../../src/engine/fileSystemError';
import { serializeError, toResponseError } from '../../src/engine/rpc/rpcErrors';
import { runCliCapture } from '../helpers/runCliCapture';
import { writeTinyDataset } from './trainFixture';

/** One trained n-gram run shared by the tests below. */
const fixture = (async () => {
  const { dir, train } = await writeTinyDataset(8);
  const result = await trainRun({ dataset: train, model: 'ngram', epochs: 1, batchSize: 8, learningRate: 1 });
  assert.equal(result.state, 'completed');
  return { dir, runDir: result.runDir };
})();
test.after(async () => rm((await fixture).dir, { recursive: true, force: true }));

test('export --out <a folder of the user\'s files> refuses and changes nothing (CLI and library, as model/export calls it)', async () => {
  const { dir, runDir } = await fixture;
  const mine = join(dir, 'my-project');
  await mkdir(join(mine, 'src'), { recursive: true });
  await writeFile(join(mine, 'notes.txt'), 'precious');
  await writeFile(join(mine, 'src', 'main.py'), 'print(1)');
  const cli = await runCliCapture(['export', runDir, '--out', mine], dir);
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /my-project: the export destination already holds files an export did not write \(notes\.txt, src\); nothing was changed/);
  await assert.rejects(exportRun(runDir, mine), (e: Error & { code?: number }) => e.code === EngineErrorCodes.invalidOption);
  assert.deepEqual((await readdir(mine)).sort(), ['notes.txt', 'src']);
  assert.equal(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'precious');
  // Variant: the destination is a file.
  const file = join(dir, 'model.bin');
  await writeFile(file, 'mine');
  await assert.rejects(exportRun(runDir, file), /the export destination is a file/);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
});

test('export --out X never deletes the user\'s X.old (where an export puts the earlier model aside); one an interrupted export left is replaced', async () => {
  const { dir, runDir } = await fixture;
  const out = join(dir, 'shipped');
  await mkdir(`${out}.old`);
  await writeFile(join(`${out}.old`, 'thesis.txt'), 'precious');
  const cli = await runCliCapture(['export', runDir, '--out', out], dir);
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /shipped\.old: an export puts the earlier model aside as shipped\.old .*nothing was changed\. Rename shipped\.old, or export into another folder/);
  await assert.rejects(exportRun(runDir, out), (e: Error & { code?: number }) => e.code === EngineErrorCodes.invalidOption);
  assert.equal(readFileSync(join(`${out}.old`, 'thesis.txt'), 'utf8'), 'precious');
  assert.ok(!existsSync(out), 'nothing was written');
  // A file of that name is the user's too.
  await rm(`${out}.old`, { recursive: true });
  await writeFile(`${out}.old`, 'mine');
  await assert.rejects(exportRun(runDir, out), /that name is taken/);
  assert.equal(readFileSync(`${out}.old`, 'utf8'), 'mine');
  // What an export interrupted between its renames leaves (the earlier export, marker and all) is replaced.
  await rm(`${out}.old`);
  await exportRun(runDir, `${out}.old`);
  await exportRun(runDir, out);
  assert.ok(existsSync(join(out, EXPORT_MARKER_FILE)) && !existsSync(`${out}.old`));
});

test('export removes the hidden temp folder a killed export left beside its destination, and nothing else', async () => {
  const { dir, runDir } = await fixture;
  const out = join(dir, 'killed');
  // A finished process's pid stands for the killed export; a running one's for an export still writing.
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    const left = join(dir, `.killed.tmp-${dead}-0`);
    const busy = join(dir, `.killed.tmp-${running.pid}-0`);
    const mine = join(dir, '.killed.tmp-notes');
    for (const d of [left, busy, mine]) {
      await mkdir(join(d, 'onnx'), { recursive: true });
      await writeFile(join(d, 'onnx', 'model.onnx'), 'half');
    }
    await exportRun(runDir, out);
    assert.ok(!existsSync(left), 'the dead export\'s temp folder is gone');
    assert.ok(existsSync(join(busy, 'onnx', 'model.onnx')) && existsSync(join(mine, 'onnx', 'model.onnx')), 'a running export\'s and the user\'s are kept');
  } finally {
    running.kill();
  }
});

test('export of a run with no checkpoint says why and what to do, and writes nothing', async () => {
  const { dir, runDir } = await fixture;
  const bare = join(dir, 'bare-run');
  await cp(runDir, bare, { recursive: true });
  await rm(join(bare, 'checkpoints'), { recursive: true, force: true });
  await rm(join(bare, 'model'), { recursive: true, force: true });
  const out = join(dir, 'from-bare');
  const cli = await runCliCapture(['export', bare, '--onnx', '--out', out], dir);
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /bare-run: run \S+ has no checkpoint to export \(checkpoints\/ holds neither best\/ nor last\/\): its checkpoints were deleted, so it must be trained again/);
  assert.ok(!existsSync(out));
});

test('export into a new folder, an empty one, and again over its own earlier export', async () => {
  const { dir, runDir } = await fixture;
  const out = join(dir, 'exported');
  const first = await exportRun(runDir, out);
  assert.deepEqual(first.files, ['ngram.json', 'ngram.safetensors']);
  assert.ok(existsSync(join(out, EXPORT_MARKER_FILE)));
  const again = await exportRun(runDir, out);
  assert.deepEqual(again.files, first.files);
  const empty = join(dir, 'empty');
  await mkdir(empty);
  assert.deepEqual((await exportRun(runDir, empty)).files, first.files);
  // The run's own model/ folder is always the export's to replace.
  assert.deepEqual((await exportRun(runDir)).files, first.files);
});

test('runs delete removes only run folders: not a folder whose run.json is [1,2], nor one that is not named as its run', async () => {
  const { dir } = await fixture;
  // The reproducer: any folder with a run.json that parses.
  const home = join(dir, 'home');
  await mkdir(home);
  await writeFile(join(home, 'run.json'), '[1,2]');
  await writeFile(join(home, 'thesis.tex'), 'years of work');
  const cli = await runCliCapture(['runs', 'delete', home], dir);
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /home[/\\]run\.json: this run\.json is not a run's \(not an object\)/);
  await assert.rejects(deleteRun(home), /not a run's/);
  assert.ok(existsSync(join(home, 'thesis.tex')));
  // Variant: a well-formed run.json copied into a folder that is not a run folder (outside any runs folder).
  const { runDir } = await fixture;
  await writeFile(join(home, 'run.json'), readFileSync(join(runDir, 'run.json')));
  await assert.rejects(deleteRun(home), /not deleted: this is not a run folder made by the engine \(its name "home" is not a run id\)/);
  assert.ok(existsSync(join(home, 'thesis.tex')));
  // Variant: a run-id-named folder holding another run's run.json.
  const other = join(dir, '2026-01-01T00-00-00-other-ngram');
  await mkdir(other);
  await writeFile(join(other, 'run.json'), readFileSync(join(runDir, 'run.json')));
  await assert.rejects(deleteRun(other), /its run\.json belongs to run/);
  assert.ok(existsSync(other));
});

test('a file system that refuses the write: the CLI names the path and the reason, no stack (export under /sys)', async (t) => {
  assert.ok(existsSync('/sys/kernel'), 'these checks need Linux /sys, which refuses new files even to root');
  const { dir, runDir } = await fixture;
  const before = await readdir(join(runDir, 'checkpoints'));
  for (const [out, reason] of [
    ['/sys/cw-export-test', /export: \/sys\/cw-export-test: the operation is not permitted here \(EPERM, creating the folder\); check the permissions/],
    // Variant: a missing folder under it (the reported ENOENT came from the recursive mkdir).
    ['/sys/cw-export-test/deeper/model', /\/sys\/cw-export-test: the operation is not permitted here \(EPERM, creating the folder\)/],
  ] as const) {
    await t.test(out, async () => {
      const cli = await runCliCapture(['export', runDir, '--out', out], dir);
      assert.equal(cli.code, 2, cli.stderr);
      assert.match(cli.stderr, reason);
      assert.doesNotMatch(cli.stderr, /internal error|please report|ENOENT|\n\s+at /);
    });
  }
  assert.deepEqual(await readdir(join(runDir, 'checkpoints')), before, 'the run folder is intact');
  assert.equal((await readRun(runDir)).state, 'completed');
});

test('over RPC the same errors are fileSystem errors with the path, not "Internal engine error … This is a bug"', async () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['EACCES writing a file under /sys', () => writeFile('/sys/cw-test.json', '{}'), /permission denied \(EACCES, opening\)/],
    ['ENOSPC writing to a full device', () => writeFile('/dev/full', 'x').catch((e: unknown) => Promise.reject(withPath(e, '/dev/full'))), /^\/dev\/full: the disk is full \(ENOSPC, writing\); free some space/],
    ['EPERM creating a folder under /sys', () => ensureFolder('/sys/cw-test/a'), /not permitted here \(EPERM, creating the folder\)/],
    ['EROFS', () => Promise.reject(Object.assign(new Error('EROFS: read-only file system, open \'/mnt/ro/x\''), { code: 'EROFS', syscall: 'open', path: '/mnt/ro/x' })), /the file system is read-only \(EROFS, opening\); choose a folder you can write to/],
  ];
  for (const [name, attempt, expected] of cases) {
    const error = await attempt().then(() => assert.fail(`${name}: expected the file system to refuse`), (e: unknown) => e);
    const logged: string[] = [];
    const response = toResponseError(error, (m) => logged.push(m));
    assert.equal(response.code, EngineErrorCodes.fileSystem, name);
    assert.match(response.message, expected, name);
    assert.doesNotMatch(response.message, /This is a bug/);
    assert.ok(response.data?.file, `${name}: names the path`);
    assert.deepEqual(logged, [], `${name}: not logged as an internal error`);
    // From a worker thread (training, label issues) too.
    assert.equal(serializeError(error).code, EngineErrorCodes.fileSystem, name);
  }
  assert.equal(fileSystemError(new Error('not from the file system')), undefined);
});

test('an atomic write that fails after its temp file was opened: the old content stays, no temp file is left', async () => {
  const { dir } = await fixture;
  const path = join(dir, 'keep.json');
  await writeFileAtomic(path, 'old');
  // The write step fails (as on a disk that fills up mid-write; /dev/full cannot stand in here, the temp file sits
  // beside the target): an invalid data argument fails that same step.
  const failed = await writeFileAtomic(path, { length: 1 } as unknown as string).then(() => undefined, (e: unknown) => e);
  assert.ok(failed instanceof Error);
  assert.equal(readFileSync(path, 'utf8'), 'old');
  assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('.keep.json.tmp')), []);
});

test('a folder cannot be made under /proc: a clear error at once (Node\'s recursive mkdir loops there forever)', async () => {
  await assert.rejects(ensureFolder('/proc/cw-test/model'), (e: Error & { code?: number }) => e.code === EngineErrorCodes.fileSystem && /does not accept new folders/.test(e.message));
  // A run record cannot be written there either, with the same error.
  await assert.rejects(writeRun('/proc/cw-test', (await readRun((await fixture).runDir))), /does not accept new folders/);
});
