// A bad option value on the train / export-job command line names the flag the user typed (never the TrainConfig
// name), negative numbers are values (not flags), and every bad value exits 64 like any other bad command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCapture } from '../../../helpers/runCliCapture';

const root = join(__dirname, '..', '..', '..', '..');
const data = 'samples/support-tickets-train.jsonl';

const cases: Array<[string[], RegExp]> = [
  [['--batch', '0'], /--batch must be a whole number ≥ 1, got 0/],
  [['--epochs', '0'], /--epochs must be a whole number ≥ 1, got 0/],
  [['--epochs', '-1'], /--epochs must be a whole number ≥ 1, got -1/],
  [['--lr', '-1'], /--lr must be a number > 0, got -1/],
  [['--lr', '-.5'], /--lr must be a number > 0, got -0.5/],
  [['--validation-split', '0.7'], /--validation-split must be a fraction in \(0, 0.5\), got 0.7/],
  [['--max-length', '0'], /--max-length must be a whole number ≥ 1, got 0/],
  [['--class-weights', 'no-such-weights.json'], /no-such-weights\.json: --class-weights: no such file/],
  [['--ngram-dim', '0'], /--ngram-dim must be a whole number ≥ 1, got 0/],
  [['--epochs', 'abc'], /--epochs must be a number \(got 'abc'\)/],
];

for (const [flags, message] of cases) {
  test(`train ${flags.join(' ')}: names the flag and exits 64`, async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'cli-option-errors-'));
    try {
      const r = await runCliCapture(['train', data, '--model', 'ngram', '--runs-dir', runsDir, ...flags], root);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /option [a-zA-Z.]+ |batchSize|validationSplit|maxLength|classWeights|ambiguous/);
      assert.match(r.stderr, /Run 'classifier-workbench train --help' for usage\./);
      assert.equal(r.code, 64);
    } finally {
      await rm(runsDir, { recursive: true, force: true });
    }
  });
}

test('export-job --nodes 0 names --nodes and exits 64', async () => {
  const out = await mkdtemp(join(tmpdir(), 'cli-option-errors-job-'));
  try {
    const r = await runCliCapture(['export-job', data, '--model', 'bert-base-uncased', '--out', join(out, 'job'), '--nodes', '0'], root);
    assert.match(r.stderr, /--nodes must be a whole number ≥ 1/);
    assert.equal(r.code, 64);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('a negative number after a flag that takes no value is still an unknown option', async () => {
  const r = await runCliCapture(['train', data, '--no-such', '-1'], root);
  assert.match(r.stderr, /Unknown option '--no-such'/);
  assert.equal(r.code, 64);
});
