// Feature extraction writes its cache where the runs go, not beside the dataset: with --runs-dir, a read-only
// dataset folder trains in this mode too; a cache left beside the dataset by earlier runs is still used; and
// `runs list` says why a run failed (issue 15, defect 3).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureCacheDir } from '../../../../src/engine/models/nn/featureCache';
import { prepareRun } from '../../../../src/engine/train/runTraining';
import { readRun, writeRun } from '../../../../src/engine/runs/runStore';
import { runCliCapture } from '../../../helpers/runCliCapture';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';
import { makeReadOnlyForTest } from './readOnlyFolder';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));

function writeData(folder: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'train.jsonl'), `${Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `${i % 2 ? 'good nice' : 'bad awful'} ${i}`, label: i % 2 ? 'pos' : 'neg' })).join('\n')}\n`);
}

const fx = (runsDir: string) => ['train', 'data/train.jsonl', '--model', modelDir, '--mode', 'feature-extraction', '--epochs', '1', '--max-length', '16', '--patience', '0', '--runs-dir', runsDir];

test('the cache place follows the runs folder; the default runs folder keeps the old place', () => {
  assert.equal(featureCacheDir('/d/.classifier-workbench/runs'), '/d/.classifier-workbench/cache/features');
  assert.equal(featureCacheDir('/out/my-runs'), '/out/my-runs/.cache/features');
});

test('feature extraction with --runs-dir trains from a read-only dataset folder, caching under the runs folder', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-fx-ro-'));
  writeData(join(root, 'data'));
  const undo = makeReadOnlyForTest(join(root, 'data'));
  t.after(() => {
    undo?.();
    rmSync(root, { recursive: true, force: true });
  });
  if (!undo) return t.skip('cannot make a folder read-only here (root without mount)');
  const runsDir = join(root, 'runs');
  const trained = await runCliCapture(fx(runsDir), root);
  assert.equal(trained.code, 0, trained.stderr);
  assert.equal(readdirSync(join(runsDir, '.cache', 'features')).filter((f) => f.endsWith('.bin')).length, 1);
  assert.equal(existsSync(join(root, 'data', '.classifier-workbench')), false);
});

test('a cache left beside the dataset is reused by a run stored elsewhere; runs list shows why a run failed', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-fx-legacy-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeData(join(root, 'data'));
  const first = await runCliCapture(fx(join(root, 'data', '.classifier-workbench', 'runs')), root);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(existsSync(join(root, 'data', '.classifier-workbench', 'cache', 'features')));
  const second = await runCliCapture(fx(join(root, 'elsewhere')), root);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout + second.stderr, /Feature cache \S+elsewhere\/\.cache\/features\/features-[0-9a-f]+\.bin: \d+ vectors reused, 0 computed/);

  const { runDir } = await prepareRun({ dataset: join(root, 'data', 'train.jsonl'), model: 'ngram', runsDir: join(root, 'failed') });
  await writeRun(runDir, { ...(await readRun(runDir)), state: 'failed', message: '/ro/cache: the file system is read-only (EROFS, writing)' });
  const listed = await runCliCapture(['runs', 'list', join(root, 'failed')], root);
  assert.match(listed.stdout, /failed\s+\/ro\/cache: the file system is read-only \(EROFS, writing\)\n/);
});
