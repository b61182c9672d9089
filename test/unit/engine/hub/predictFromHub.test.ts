// predict, eval and suggest take the Hub id of a fine-tuned classifier, as train takes a base model's: the id is
// resolved by the same resolveModel (HF cache, else a download from HF_ENDPOINT, a local server here), --revision
// included, and is never mistaken for a folder under the working directory (issue 15, defect 1).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPredictor } from '../../../../src/engine/predict/loadPredictor';
import { resolveModel } from '../../../../src/engine/hub/modelSource';
import { EngineError } from '../../../../src/engine/errors';
import { startHubServer } from '../../../helpers/hubServer';
import { writeHfClassifierFolder } from '../../../helpers/remoteJobResult';
import { runCliCapture } from '../../../helpers/runCliCapture';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));
const PR_COMMIT = 'b'.repeat(40);

test('predict, eval and suggest load a Hub id (and its --revision) from HF_ENDPOINT, from any working directory', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-hub-predict-'));
  const home = join(root, 'hf');
  const cwd = join(root, 'repo');
  const main = join(root, 'main-model');
  const pr = join(root, 'pr-model');
  await writeHfClassifierFolder(modelDir, main, ['neg', 'pos']);
  await writeHfClassifierFolder(modelDir, pr, ['red', 'green', 'blue']);
  const hub = await startHubServer({ modelDir: main, repo: 'org/tiny-clf', branches: [{ name: 'v2', commit: PR_COMMIT, modelDir: pr }] });
  const saved = { HF_HOME: process.env.HF_HOME, HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_CACHE: process.env.HF_HUB_CACHE, HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE };
  t.after(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await hub.close();
    rmSync(root, { recursive: true, force: true });
  });
  delete process.env.HF_HUB_CACHE;
  delete process.env.HF_HUB_OFFLINE;
  process.env.HF_HOME = home;
  process.env.HF_ENDPOINT = hub.url;
  (await import('node:fs')).mkdirSync(cwd, { recursive: true });

  const predicted = await runCliCapture(['predict', '--model', 'org/tiny-clf', '--json', 'hi there'], cwd);
  assert.equal(predicted.code, 0, predicted.stderr);
  assert.ok(['neg', 'pos'].includes((JSON.parse(predicted.stdout) as { label: string }).label), predicted.stdout);

  const revised = await runCliCapture(['predict', '--model', 'org/tiny-clf', '--revision', 'v2', '--json', 'hi there'], cwd);
  assert.equal(revised.code, 0, revised.stderr);
  assert.ok(['red', 'green', 'blue'].includes((JSON.parse(revised.stdout) as { label: string }).label), revised.stdout);

  const testFile = join(cwd, 'test.jsonl');
  writeFileSync(testFile, ['good', 'bad', 'fine', 'awful'].map((text, i) => JSON.stringify({ text, label: i % 2 ? 'neg' : 'pos' })).join('\n'));
  const evaluated = await runCliCapture(['eval', 'org/tiny-clf', 'test.jsonl', '--json'], cwd);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as { model: string; metrics: { examples: number } };
  assert.equal(report.metrics.examples, 4);
  assert.match(report.model, /models--org--tiny-clf[\\/]snapshots[\\/][0-9a-f]{40}$/);

  writeFileSync(join(cwd, 'pool.txt'), 'one\ntwo words\nthree more words\n');
  const suggested = await runCliCapture(['suggest', 'pool.txt', '--model', 'org/tiny-clf', '--revision', 'v2', '--n', '2', '--json'], cwd);
  assert.equal(suggested.code, 0, suggested.stderr);
  const suggestion = JSON.parse(suggested.stdout) as { labels: string[]; suggestions: unknown[] };
  assert.deepEqual(suggestion.labels, ['red', 'green', 'blue']);
  assert.equal(suggestion.suggestions.length, 2);

  // The library entry point the RPC server's predictor thread calls takes the id too.
  const library = await loadPredictor('org/tiny-clf', { revision: 'v2' });
  try {
    assert.deepEqual(library.labels, ['red', 'green', 'blue']);
  } finally {
    library.dispose();
  }
});

test('a missing folder is not called "not a Hugging Face id"; a malformed id is not called a missing folder', async () => {
  const missing = join(tmpdir(), 'cw-no-such-model-folder', 'org', 'name');
  await assert.rejects(resolveModel(missing), (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.match(err.message, /no such model folder/);
    assert.doesNotMatch(err.message, /not a Hugging Face model id/);
    return true;
  });
  await assert.rejects(resolveModel('not a model id!'), (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.match(err.message, /neither a model folder nor a Hugging Face model id/);
    assert.doesNotMatch(err.message, /, or a Hub id$/);
    return true;
  });
});
