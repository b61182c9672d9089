// Issue 15 (data loss): a re-export into a folder the user has worked in replaced the whole folder, deleting the
// model card README.md and the .git/ the user had made there. A re-export replaces only the files the earlier export
// wrote (recorded with size + SHA-256 in .classifier-workbench-export), removes those the new export does not write,
// keeps the user's, and refuses (changing nothing) where it would overwrite a file the user changed or made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { exportRun, EXPORT_MARKER_FILE } from '../../src/engine/runs/exportRun';
import type { ModelExportResult } from '../../src/protocol/model';
import { writeTinyBertFolder } from '../unit/engine/models/bert/tinyBertFolder';
import { runCliCapture } from '../helpers/runCliCapture';
import { filesUnder } from '../../src/engine/filesUnder';
import { writeTinyDataset } from './trainFixture';

/** A tiny BERT run and an n-gram run on the same data, shared by the tests below. */
const fixture = (async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 1 });
  const { dir, train } = await writeTinyDataset(8);
  const bert = await trainRun({ dataset: train, model: modelDir, mode: 'feature-extraction', epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
  assert.equal(bert.state, 'completed');
  const ngram = await trainRun({ dataset: train, model: 'ngram', epochs: 1, batchSize: 8, learningRate: 1 });
  assert.equal(ngram.state, 'completed');
  return { dir, modelDir, bert: bert.runDir, ngram: ngram.runDir };
})();
test.after(async () => {
  const { dir, modelDir } = await fixture;
  await rm(dir, { recursive: true, force: true });
  await rm(modelDir, { recursive: true, force: true });
});

/** The user's own files in an export folder: a model card and a git repository. */
async function addUserFiles(folder: string): Promise<void> {
  await writeFile(join(folder, 'README.md'), '# My model card\n');
  await mkdir(join(folder, '.git', 'objects'), { recursive: true });
  await writeFile(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await writeFile(join(folder, '.git', 'objects', 'ab12'), 'blob');
  await writeFile(join(folder, '.gitattributes'), '*.safetensors filter=lfs\n');
}

function assertUserFilesIntact(folder: string): void {
  assert.equal(readFileSync(join(folder, 'README.md'), 'utf8'), '# My model card\n');
  assert.equal(readFileSync(join(folder, '.git', 'HEAD'), 'utf8'), 'ref: refs/heads/main\n');
  assert.equal(readFileSync(join(folder, '.git', 'objects', 'ab12'), 'utf8'), 'blob');
  assert.equal(readFileSync(join(folder, '.gitattributes'), 'utf8'), '*.safetensors filter=lfs\n');
}

async function cliExport(args: string[], cwd: string): Promise<ModelExportResult> {
  const run = await runCliCapture(['export', ...args, '--json'], cwd);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as ModelExportResult;
}

test('the tester\'s scenario: README.md and .git/ survive a re-export with --onnx and again without; stale ONNX files of the export go', async () => {
  const { dir, bert } = await fixture;
  const card = join(dir, 'work', 'card');
  const first = await cliExport([bert, '--out', card], dir);
  assert.ok(first.files.includes('config.json') && !first.files.some((f) => f.startsWith('onnx/')));
  await addUserFiles(card);

  const withOnnx = await cliExport([bert, '--out', card, '--onnx'], dir);
  assertUserFilesIntact(card);
  assert.ok(withOnnx.files.includes('onnx/model.onnx') && existsSync(join(card, 'onnx', 'model.onnx')));
  assert.deepEqual(withOnnx.kept, ['.git', '.gitattributes', 'README.md']);
  // The folder is exactly the export's files, the user's files and the marker.
  const user = ['.git/HEAD', '.git/objects/ab12', '.gitattributes', 'README.md'];
  assert.deepEqual(await filesUnder(card), [...withOnnx.files, ...user, EXPORT_MARKER_FILE].sort());
  // The human sentence says what was kept.
  const said = await runCliCapture(['export', bert, '--out', card, '--onnx'], dir);
  assert.equal(said.code, 0, said.stderr);
  assert.match(said.stdout, /Left as they were: \.git, \.gitattributes, README\.md\./);

  // Without --onnx: the earlier export's ONNX files (and its onnx/ folder) are not part of this export and go.
  const plain = await cliExport([bert, '--out', card], dir);
  assertUserFilesIntact(card);
  assert.ok(!existsSync(join(card, 'onnx')), 'the stale onnx/ of the earlier export is removed');
  assert.deepEqual(await filesUnder(card), [...plain.files, ...user, EXPORT_MARKER_FILE].sort());
  assert.ok(!existsSync(`${card}.old`));
  assert.deepEqual((await readdir(join(dir, 'work'))).sort(), ['card'], 'no temp or aside folder is left');
});

test('a user-modified exported file, or a user file where the export writes one, is never overwritten: refused, named, nothing changed', async () => {
  const { dir, bert } = await fixture;
  const out = join(dir, 'edited');
  await cliExport([bert, '--out', out], dir);
  await addUserFiles(out);
  await writeFile(join(out, 'config.json'), '{"edited": true}\n');
  const before = await snapshot(out);
  const refused = await runCliCapture(['export', bert, '--out', out, '--onnx'], dir);
  assert.equal(refused.code, 2, refused.stdout);
  assert.match(refused.stderr, /edited: the export would overwrite files that are yours: config\.json was changed since the earlier export wrote it; nothing was changed\. Move it out of the folder \(or delete it\) and export again, or export into a new folder/);
  assert.deepEqual(await snapshot(out), before);
  // A changed file of the earlier export the new one would remove (a stale ONNX file) is refused too: kept beside a
  // new model it would be a stale model.
  await rm(join(out, 'config.json'));
  await cliExport([bert, '--out', out, '--onnx'], dir);
  await writeFile(join(out, 'onnx', 'model.onnx'), 'my hand-optimised graph');
  const stale = await runCliCapture(['export', bert, '--out', out], dir);
  assert.equal(stale.code, 2);
  assert.match(stale.stderr, /onnx\/model\.onnx was changed since the earlier export wrote it; nothing was changed/);
  assert.equal(readFileSync(join(out, 'onnx', 'model.onnx'), 'utf8'), 'my hand-optimised graph');
  // A file the user made where the new export writes one (an ONNX graph of their own, in a folder exported without).
  await rm(join(out, 'onnx'), { recursive: true });
  await cliExport([bert, '--out', out], dir);
  await mkdir(join(out, 'onnx'));
  await writeFile(join(out, 'onnx', 'model.onnx'), 'my own graph');
  const taken = await runCliCapture(['export', bert, '--out', out, '--onnx'], dir);
  assert.equal(taken.code, 2);
  assert.match(taken.stderr, /onnx\/model\.onnx is not the earlier export's, and the export writes that name; nothing was changed/);
  assert.equal(readFileSync(join(out, 'onnx', 'model.onnx'), 'utf8'), 'my own graph');
  assert.deepEqual(await readdir(join(out, 'onnx')), ['model.onnx']);
  assert.ok(!existsSync(`${out}.old`));
  assertUserFilesIntact(out);
});

test('an n-gram export over a BERT export: the BERT files go, the user\'s stay; and back', async () => {
  const { dir, bert, ngram } = await fixture;
  const out = join(dir, 'switch');
  await exportRun(bert, out, { onnx: {} });
  await addUserFiles(out);
  const n = await exportRun(ngram, out);
  assert.deepEqual(n.files, ['ngram.json', 'ngram.safetensors']);
  assertUserFilesIntact(out);
  assert.deepEqual(await filesUnder(out), ['.git/HEAD', '.git/objects/ab12', '.gitattributes', EXPORT_MARKER_FILE, 'README.md', 'ngram.json', 'ngram.safetensors'].sort());
  const b = await exportRun(bert, out);
  assertUserFilesIntact(out);
  assert.ok(!existsSync(join(out, 'ngram.json')));
  assert.deepEqual(await filesUnder(out), [...b.files, '.git/HEAD', '.git/objects/ab12', '.gitattributes', EXPORT_MARKER_FILE, 'README.md'].sort());
});

test('a folder an earlier version exported (its marker lists no files): its files are treated as the user\'s, so the export is refused, saying what to do', async () => {
  const { dir, ngram } = await fixture;
  const out = join(dir, 'old-format');
  await exportRun(ngram, out);
  await writeFile(join(out, EXPORT_MARKER_FILE), `${JSON.stringify({ runId: 'x', exportedAt: '2026-01-01T00:00:00.000Z' })}\n`);
  await addUserFiles(out);
  const before = await snapshot(out);
  const refused = await runCliCapture(['export', ngram, '--out', out], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /old-format: this folder was exported by an earlier version of Classifier Workbench, which did not record the files it wrote, so nothing in it is replaced \(\.git\/HEAD, .*\); nothing was changed\. Move out what is yours and delete the rest, or export into a new folder/);
  assert.deepEqual(await snapshot(out), before);
  // Once only the marker (and nothing else) is left, it exports; the run's own model/ is the engine's either way.
  for (const f of await readdir(out)) if (f !== EXPORT_MARKER_FILE) await rm(join(out, f), { recursive: true });
  assert.deepEqual((await exportRun(ngram, out)).files, ['ngram.json', 'ngram.safetensors']);
  const runModel = join(ngram, 'model');
  await exportRun(ngram);
  await writeFile(join(runModel, EXPORT_MARKER_FILE), '{"runId":"x"}\n');
  await writeFile(join(runModel, 'stale.bin'), 'an older export\'s file');
  await exportRun(ngram);
  assert.deepEqual(await filesUnder(runModel), [EXPORT_MARKER_FILE, 'ngram.json', 'ngram.safetensors']);
});

/** Every file under `folder` with its content. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await filesUnder(folder)) out[f] = readFileSync(join(folder, f), 'latin1');
  return out;
}
