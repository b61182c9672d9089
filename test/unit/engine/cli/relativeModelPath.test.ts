// A model path given relative to the working directory — `--model ./x` or `CLASSIFIER_WORKBENCH_MODEL=../x` — is
// stored absolute in run.json, so `predict`, `runs resume` and `export` of the run work from any other folder
// (issue 15, defect 2); the engine makes a relative model path absolute whoever sent it (RPC: the settings).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { resolveTrainConfig } from '../../../../src/engine/train/resolveTrainConfig';
import { runCliCapture } from '../../../helpers/runCliCapture';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));

function writeData(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const lines = Array.from({ length: 24 }, (_, i) => JSON.stringify({ text: `${i % 2 ? 'great lovely' : 'awful bad'} thing ${i}`, label: i % 2 ? 'pos' : 'neg' }));
  const file = join(folder, 'train.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('a relative CLASSIFIER_WORKBENCH_MODEL is resolved against the working directory and stored absolute', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-relmodel-'));
  const saved = process.env.CLASSIFIER_WORKBENCH_MODEL;
  t.after(() => {
    if (saved === undefined) delete process.env.CLASSIFIER_WORKBENCH_MODEL; else process.env.CLASSIFIER_WORKBENCH_MODEL = saved;
    rmSync(root, { recursive: true, force: true });
  });
  const cwd = join(root, 'work');
  writeData(join(cwd, 'data'));
  process.env.CLASSIFIER_WORKBENCH_MODEL = relative(cwd, modelDir);
  assert.ok(process.env.CLASSIFIER_WORKBENCH_MODEL.startsWith('..'));

  const trained = await runCliCapture(['train', 'data/train.jsonl', '--epochs', '1', '--max-length', '16', '--batch', '8', '--patience', '0'], cwd);
  assert.equal(trained.code, 0, trained.stderr);
  const runsDir = join(cwd, 'data', '.classifier-workbench', 'runs');
  const [runId] = readdirSync(runsDir);
  const record = JSON.parse(readFileSync(join(runsDir, runId!, 'run.json'), 'utf8')) as { config: { model: string } };
  assert.equal(record.config.model, modelDir);

  // The run is usable from anywhere else.
  const elsewhere = await runCliCapture(['predict', '--model', join(runsDir, runId!), '--json', 'lovely'], root);
  assert.equal(elsewhere.code, 0, elsewhere.stderr);
});

test('the engine stores a relative model path (a setting sent over RPC) absolute, resolved where resolveModel reads it', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-relmodel-engine-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dataset = writeData(root);
  const fromDefault = await resolveTrainConfig({ dataset }, { defaultModel: relative(process.cwd(), modelDir) });
  assert.equal(fromDefault.model, modelDir);
  const fromInput = await resolveTrainConfig({ dataset, model: `./${relative(process.cwd(), modelDir)}` });
  assert.equal(fromInput.model, modelDir);
  // Hub ids and the built-in models stay as they are.
  assert.equal((await resolveTrainConfig({ dataset, model: 'org/name' })).model, 'org/name');
  assert.equal((await resolveTrainConfig({ dataset, model: 'ngram' })).model, 'ngram');
});
