// The commands the CLI prints for the user to copy (Predict:, Resume with:) paste into a shell as they are, even
// when the run folder holds a space, a quote or a `$`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainEventPrinter } from '../../../../src/engine/cli/trainEventPrinter';
import { shellQuote } from '../../../../src/engine/cli/shellQuote';
import type { RunResult } from '../../../../src/engine/index';
import { runCliCapture } from '../../../helpers/runCliCapture';

const root = join(__dirname, '..', '..', '..', '..');

/** The words a POSIX shell makes of `command`, after `npx classifier-workbench`. */
function shellWords(command: string): string[] {
  const r = spawnSync('sh', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, -1);
}

test('shellQuote leaves plain paths alone and single-quotes the rest', () => {
  assert.equal(shellQuote('/runs/2026-12-01_ngram.a1'), '/runs/2026-12-01_ngram.a1');
  for (const path of ['/my runs/a', "/Bob's runs/$HOME/`x`", '', 'a\\b', '*']) assert.deepEqual(shellWords(shellQuote(path)), [path]);
});

test("train's Predict: line pastes into a shell with the run folder as one word", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-quote-'));
  try {
    const runsDir = join(dir, "Bob's runs $HOME");
    await mkdir(runsDir);
    const r = await runCliCapture(['train', 'samples/support-tickets-train.jsonl', '--model', 'ngram', '--epochs', '1', '--runs-dir', runsDir], root);
    assert.equal(r.code, 0, r.stderr);
    const [runId] = await readdir(runsDir);
    const predict = /^Predict: +npx classifier-workbench (.*)$/m.exec(r.stdout);
    assert.ok(predict, r.stdout);
    assert.deepEqual(shellWords(predict[1]!), ['predict', '--model', join(runsDir, runId!), 'some text']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a cancelled run's Resume with: line pastes into a shell with the run folder as one word", () => {
  let stderr = '';
  const printer = new TrainEventPrinter({ stdout: () => undefined, stderr: (t) => { stderr += t; }, json: false, cwd: root, signal: new AbortController().signal });
  const runDir = '/data/my runs/it\'s/run-1';
  printer.finish({ runId: 'run-1', runDir, state: 'cancelled' } as RunResult);
  const resume = /Resume with:\n {2}npx classifier-workbench (.*)\n/.exec(stderr);
  assert.ok(resume, stderr);
  assert.deepEqual(shellWords(resume[1]!), ['runs', 'resume', runDir]);
});
