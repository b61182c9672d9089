// Small wording defects of the CLI (issue 15): help that points at nothing, a default that does not apply, a
// setting typo that was ignored, "1 examples".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryBudget } from '../../../../src/engine/models/nn/trainingMemory';
import { runCliCapture } from '../../../helpers/runCliCapture';

const root = join(__dirname, '..', '..', '..', '..');

test("export-job --help says the --model default itself (its help has no 'above' to point to)", async () => {
  const help = await runCliCapture(['export-job', '--help'], root);
  assert.equal(help.code, 0);
  assert.doesNotMatch(help.stdout, /see above/);
  assert.match(help.stdout, /--model M.*default: \$CLASSIFIER_WORKBENCH_MODEL, else a pretrained model found locally, else ngram/);
});

test("inspect --help does not promise the model's id2label (inspect takes no model); train's help does", async () => {
  const inspect = await runCliCapture(['inspect', '--help'], root);
  assert.match(inspect.stdout, /--label-names LIST .*default: the integers themselves/);
  assert.doesNotMatch(inspect.stdout, /id2label/);
  assert.match((await runCliCapture(['train', '--help'], root)).stdout, /--label-names LIST .*id2label/);
});

test('CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB that is not a number of GB > 0 is an error naming the variable', () => {
  for (const bad of ['abc', '0', '-3', ' ', '12GB']) {
    assert.throws(() => memoryBudget(16e9, { CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: bad }), /CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB must be a number of gigabytes > 0/, bad);
  }
  assert.equal(memoryBudget(16e9, { CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: '12' }), 12e9);
  assert.equal(memoryBudget(16e9, { CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: '1.5' }), 1.5e9);
  assert.equal(memoryBudget(16e9, {}), 8e9);
  assert.equal(memoryBudget(16e9, { CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: '' }), 8e9);
});

test("eval of a one-line file says '1 example'", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-wording-'));
  try {
    const runsDir = join(dir, 'runs');
    const trained = await runCliCapture(['train', 'samples/support-tickets-train.jsonl', '--model', 'ngram', '--epochs', '1', '--runs-dir', runsDir], root);
    assert.equal(trained.code, 0, trained.stderr);
    const one = join(dir, 'one.jsonl');
    await writeFile(one, '{"text": "I was charged twice", "label": "billing"}\n');
    const [runId] = await readdir(runsDir);
    const r = await runCliCapture(['eval', join(runsDir, runId!), one], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\| 1 example +\|/);
    assert.doesNotMatch(r.stdout, /1 examples/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
