// A dataset copied into a folder created at once shows in the Datasets view even when the file watcher reports
// only the folder (the @parcel/watcher race behind the journey's flaky "two train.jsonl" step).
import '../useFakeVscode';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { datasetGlob } from '../../../../src/common/datasetFormat';
import { CreatedFolderWatcher, datasetSearchExclude } from '../../../../src/extension/views/createdFolderWatcher';
import { DatasetsTreeProvider, isExcludedDatasetPath } from '../../../../src/extension/views/datasetsTree';
import { createdFileSystemWatchers, FileType, RelativePattern, Uri, workspace } from '../fakeVscode';

const delayMs = 20;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

/** A workspace on disk, a dataset tree over it, the watcher under test, and a record of its searches and stats. */
function setup() {
  const root = mkdtempSync(join(tmpdir(), 'cw-created-'));
  const searches: { base: string; pattern: string; exclude: unknown; max: unknown }[] = [];
  const stats: string[] = [];
  const files = workspace as unknown as { fs: { stat: (u: Uri) => Promise<{ type: FileType }> } };
  const original = { findFiles: workspace.findFiles, stat: files.fs.stat };
  Object.assign(workspace, {
    // Lists the .jsonl files under the pattern's base folder, as ripgrep would for the dataset glob.
    findFiles: async (include: RelativePattern, exclude: unknown, max: unknown) => {
      searches.push({ base: include.baseUri.fsPath, pattern: include.pattern, exclude, max });
      const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.jsonl') ? [join(dir, e.name)] : []));
      return walk(include.baseUri.fsPath).map((p) => Uri.file(p));
    },
  });
  files.fs.stat = (uri: Uri) => (stats.push(uri.fsPath), original.stat(uri));
  const tree = new DatasetsTreeProvider({ findDatasets: async () => [], summarize: async () => { throw new Error('not shown'); }, relativePath: (u) => u.fsPath },
    (path) => isExcludedDatasetPath(path, []));
  const added: string[] = [];
  const watcher = new CreatedFolderWatcher({ datasetGlob, isExcluded: (path) => isExcludedDatasetPath(path, []), add: (uri) => (added.push(uri.fsPath), tree.add(uri)), delayMs });
  const fsWatcher = createdFileSystemWatchers.at(-1)!;
  cleanups.push(() => {
    watcher.dispose();
    tree.dispose();
    Object.assign(workspace, { findFiles: original.findFiles });
    files.fs.stat = original.stat;
    rmSync(root, { recursive: true, force: true });
  });
  const create = (path: string) => fsWatcher.created.fire(Uri.file(path));
  return { root, searches, stats, tree, added, watcher, fsWatcher, create };
}

test('a created folder with a dataset inside, and no event for the file, adds the dataset', async () => {
  const { root, searches, tree, watcher, fsWatcher, create } = setup();
  assert.equal(fsWatcher.glob, '**/*');
  assert.deepEqual([fsWatcher.ignoreCreateEvents, fsWatcher.ignoreChangeEvents, fsWatcher.ignoreDeleteEvents], [false, true, true], 'creations only');
  mkdirSync(join(root, 'banking'));
  writeFileSync(join(root, 'banking', 'train.jsonl'), '{"text": "hi", "label": "a"}\n');
  create(join(root, 'banking'));
  await watcher.idle();
  assert.deepEqual(tree.datasets.map((u) => u.fsPath), [join(root, 'banking', 'train.jsonl')]);
  assert.deepEqual(searches, [{ base: join(root, 'banking'), pattern: datasetGlob, exclude: datasetSearchExclude, max: 1000 }]);
});

test('a burst of creates is one search of the outermost new folder, and a dataset already listed is not added twice', async () => {
  const { root, searches, tree, watcher, create } = setup();
  const inner = join(root, 'data', 'intents', 'v2');
  mkdirSync(inner, { recursive: true });
  writeFileSync(join(inner, 'train.jsonl'), '{"text": "hi", "label": "a"}\n');
  tree.add(vscode.Uri.file(join(inner, 'train.jsonl'))); // the dataset watcher did see this one
  let fired = 0;
  tree.onDidChangeTreeData(() => fired++);
  for (const p of [join(root, 'data'), join(root, 'data', 'intents'), inner, join(inner, 'train.jsonl')]) create(p);
  await watcher.idle();
  assert.deepEqual(searches.map((s) => s.base), [join(root, 'data')]);
  assert.equal(tree.datasets.length, 1);
  assert.equal(fired, 0, 'adding a dataset the tree has changes nothing');
});

test('a burst of creates under node_modules (or .git) is neither stat-ed nor searched', async () => {
  const { root, searches, stats, tree, watcher, create } = setup();
  const pkg = join(root, 'node_modules', 'some-pkg', 'data');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'fixture.jsonl'), '{"text": "hi", "label": "a"}\n');
  mkdirSync(join(root, '.git', 'objects', 'ab'), { recursive: true });
  for (let i = 0; i < 200; i++) create(join(root, 'node_modules', `pkg-${i}`, 'lib'));
  create(join(root, 'node_modules'));
  create(pkg);
  create(join(pkg, 'fixture.jsonl'));
  create(join(root, '.git', 'objects', 'ab'));
  await watcher.idle();
  await new Promise((r) => setTimeout(r, 3 * delayMs));
  assert.deepEqual([searches.length, stats.length, tree.datasets.length], [0, 0, 0]);
});

test('a file-create event alone only costs a stat: no search, nothing added', async () => {
  const { root, searches, stats, added, watcher, create } = setup();
  writeFileSync(join(root, 'train.jsonl'), '{"text": "hi", "label": "a"}\n');
  create(join(root, 'train.jsonl'));
  await watcher.idle();
  assert.deepEqual(stats, [join(root, 'train.jsonl')]);
  assert.deepEqual([searches.length, added.length], [0, 0]);
});

test('a folder gone again before the search is skipped quietly', async () => {
  const { root, searches, watcher, create } = setup();
  create(join(root, 'tmp-build'));
  await watcher.idle();
  assert.equal(searches.length, 0);
});

test('disposal clears the timer: creates pending at that moment are never searched', async () => {
  const { root, searches, stats, watcher, fsWatcher, create } = setup();
  mkdirSync(join(root, 'banking'));
  writeFileSync(join(root, 'banking', 'train.jsonl'), '{"text": "hi", "label": "a"}\n');
  create(join(root, 'banking'));
  watcher.dispose();
  await watcher.idle();
  await new Promise((r) => setTimeout(r, 3 * delayMs));
  assert.deepEqual([searches.length, stats.length], [0, 0]);
  assert.ok(fsWatcher.disposed, 'the file-system watcher is disposed too');
});
