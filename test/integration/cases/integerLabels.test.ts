// Kind 1 of issue 16: integer labels are named by one rule in every command: --label-names, else the model's
// id2label, and the output says so. Case c21_eval_int_labels, and a second input of the same kind: a chat file
// with integer labels evaluated with an explicit --label-names against a run trained on names, and inspect.
import { shared, testsNeeding } from '../../helpers/requirements';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copySharedCase, sharedDir } from '../../helpers/sharedCases';
import { runCliCapture } from '../../helpers/runCliCapture';
import type { DatasetReport } from '../../../src/protocol/dataset';

const test = testsNeeding(shared('cases/c21_eval_int_labels'), shared('data/emotion/train.jsonl'));

const emotionNames = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];

/** The first `n` lines of the shared emotion training file, labels as integer ids in `emotionNames` order. */
async function emotionWithIntegerLabels(n: number): Promise<string> {
  const lines = (await readFile(join(sharedDir, 'data', 'emotion', 'train.jsonl'), 'utf8')).split('\n').slice(0, n);
  return `${lines.map((l) => { const r = JSON.parse(l) as { text: string; label: string }; return JSON.stringify({ text: r.text, label: emotionNames.indexOf(r.label) }); }).join('\n')}\n`;
}

async function train(dir: string, file: string, extra: string[]): Promise<string> {
  const runsDir = join(dir, 'runs');
  const r = await runCliCapture(['train', file, '--model', 'ngram', '--epochs', '8', '--runs-dir', runsDir, ...extra], dir);
  assert.equal(r.code, 0, r.stderr);
  const runs = await readdir(runsDir);
  return join(runsDir, runs.sort().at(-1)!);
}

test('c21: a run trained with --label-names evaluates a file with integer labels through its label names', async () => {
  const dir = copySharedCase('c21_eval_int_labels');
  await writeFile(join(dir, 'train.jsonl'), await emotionWithIntegerLabels(1200));
  const run = await train(dir, join(dir, 'train.jsonl'), ['--label-names', emotionNames.join(',')]);
  for (const file of ['emo_int_test.jsonl', 'test.jsonl']) {
    const r = await runCliCapture(['eval', run, join(dir, file), '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { metrics: { examples: number }; unknownLabels: Record<string, number>; labelNaming: string };
    const lines = (await readFile(join(dir, file), 'utf8')).trim().split('\n').length;
    assert.equal(out.metrics.examples, lines, `${file}: every line is evaluated`);
    assert.deepEqual(out.unknownLabels, {});
    assert.match(out.labelNaming, new RegExp(`Integer labels on ${lines} lines were read as names through the model's id2label \\(0 = sadness, 1 = joy`));
  }
  const text = await runCliCapture(['eval', run, join(dir, 'test.jsonl')], dir);
  assert.match(text.stderr, /read as names through the model's id2label/, 'the human output says so too');
});

test('eval --label-names on a chat file with integer labels; inspect states the naming; bad ids name the list', async () => {
  const dir = copySharedCase('c21_eval_int_labels');
  const lines = (await readFile(join(sharedDir, 'data', 'emotion', 'train.jsonl'), 'utf8')).split('\n').slice(0, 900);
  await writeFile(join(dir, 'named.jsonl'), `${lines.join('\n')}\n`);
  const run = await train(dir, join(dir, 'named.jsonl'), []);
  // The run's labels are sorted names; the file's ids follow another order, given with --label-names.
  const chat = lines.slice(0, 40).map((l) => { const r = JSON.parse(l) as { text: string; label: string }; return JSON.stringify({ messages: [{ role: 'user', content: r.text }, { role: 'assistant', content: emotionNames.indexOf(r.label) }] }); });
  await writeFile(join(dir, 'chat-ids.jsonl'), `${chat.join('\n')}\n`);
  const r = await runCliCapture(['eval', run, join(dir, 'chat-ids.jsonl'), '--label-names', emotionNames.join(','), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { metrics: { examples: number; perClass: { label: string; support: number }[] }; labelNaming: string };
  assert.equal(out.metrics.examples, 40);
  assert.match(out.labelNaming, /through the label-names list \(0 = sadness/);
  const counts = Object.fromEntries(out.metrics.perClass.map((c) => [c.label, c.support]));
  const expected: Record<string, number> = {};
  for (const l of lines.slice(0, 40)) { const label = (JSON.parse(l) as { label: string }).label; expected[label] = (expected[label] ?? 0) + 1; }
  for (const [label, n] of Object.entries(expected)) assert.equal(counts[label], n, `support of ${label}`);

  const inspect = JSON.parse((await runCliCapture(['inspect', join(dir, 'chat-ids.jsonl'), '--label-names', emotionNames.join(','), '--json'], dir)).stdout) as DatasetReport;
  assert.match(inspect.labelNaming!, /Integer labels on 40 lines were read as names through the label-names list/);
  const short = JSON.parse((await runCliCapture(['inspect', join(dir, 'chat-ids.jsonl'), '--label-names', 'sadness,joy', '--json'], dir)).stdout) as DatasetReport;
  assert.ok(short.problems.some((p) => p.kind === 'labelOutOfRange' && /the label-names list has 2 names/.test(p.message)));
});
