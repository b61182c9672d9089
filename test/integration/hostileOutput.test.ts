// Output that a label can hijack (issue 17, kind 7): labels and texts holding terminal escapes (clear screen, OSC-8
// hyperlinks), carriage returns and Markdown/HTML reach neither the terminal nor report.md alive, in every command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { runCliCapture } from '../helpers/runCliCapture';
import { terminalOutput, terminalText } from '../../src/engine/cli/terminalText';

/** Any character a terminal would act on, except the newlines and tabs that lay out the output. */
const live = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const clear = '\u001b[2J\u001b[H';
const link = '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007';
const labels = [`bill${clear}ing`, `deliv${link}ery`, 'log\rin<script>x</script>'];
const words = [['charged', 'invoice', 'card'], ['parcel', 'courier', 'tracking'], ['password', 'locked', 'email']];

test('predict, eval, inspect, label-issues, runs list and report.md neutralise hostile labels and texts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-hostile-'));
  try {
    const line = (c: number, n: number) => JSON.stringify({ text: `${words[c]![n % 3]} ${words[c]![(n + 1) % 3]} number ${n}${n === 1 ? `\r${clear}` : ''}`, label: labels[c] });
    const file = (n: number) => `${Array.from({ length: n }, (_, i) => [0, 1, 2].map((c) => line(c, i)).join('\n')).join('\n')}\n`;
    await writeFile(join(dir, 'train.jsonl'), file(12));
    await writeFile(join(dir, 'validation.jsonl'), file(4));
    await writeFile(join(dir, 'test.jsonl'), file(4));
    const run = await trainRun({ dataset: join(dir, 'train.jsonl'), model: 'ngram', epochs: 2, batchSize: 8, learningRate: 1 });
    assert.equal(run.state, 'completed');
    const commands = [
      ['predict', '--model', run.runDir, `charged card${link}`, `parcel\r${clear}`],
      ['eval', run.runDir, join(dir, 'test.jsonl')],
      ['inspect', join(dir, 'train.jsonl')],
      ['label-issues', join(dir, 'train.jsonl'), '--model', 'ngram', '--folds', '2'],
      ['runs', 'list', join(dir, 'train.jsonl')],
      ['runs', 'show', run.runDir],
      ['--json', 'predict', '--model', run.runDir, `x${link}`],
    ];
    for (const args of commands) {
      const out = await runCliCapture(args, dir);
      assert.equal(out.code, 0, `${args[0]}: ${out.stderr}`);
      assert.doesNotMatch(out.stdout, live, `${args.join(' ')}: stdout ${JSON.stringify(out.stdout.slice(0, 300))}`);
      assert.doesNotMatch(out.stderr, live, `${args.join(' ')}: stderr`);
      if (args[0] === 'predict') assert.match(out.stdout, /bill\\u001b\[2J\\u001b\[Hing/, 'the label is shown, its escape visible');
    }
    // --json output stays valid JSON.
    const json = await runCliCapture(['--json', 'predict', '--model', run.runDir, `x${link}`], dir);
    assert.equal((JSON.parse(json.stdout) as { text: string }).text, `x${link}`);
    const report = await readFile(join(run.runDir, 'report.md'), 'utf8');
    assert.doesNotMatch(report, live);
    assert.doesNotMatch(report, /<script/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('terminalText shows every control on one line; terminalOutput keeps only layout newlines', () => {
  assert.equal(terminalText(`a\nb\rc\td${clear}\u009b31m\u202eevil`), 'a\\nb\\rc\\td\\u001b[2J\\u001b[H\\u009b31m\\u202eevil');
  assert.equal(terminalOutput('one\ttwo\r\u0007\n'), 'one\ttwo\\r\\u0007\n');
});
