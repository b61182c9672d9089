// Kind 3 of issue 16: chat lines with several turns. Case c18b_chat_multiturn, and a second input of the same
// kind: a 3-class file with a system prompt, array content parts, weight-0 turns after the label and the
// allTurns option, read by train's loader and by the extension's relabel fix.
import { shared, testsNeeding } from '../../helpers/requirements';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copySharedCase } from '../../helpers/sharedCases';
import { runCliCapture } from '../../helpers/runCliCapture';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { relabelLine } from '../../../src/extension/diagnostics/labelValueSpan';
import type { DatasetReport } from '../../../src/protocol/dataset';

const test = testsNeeding(shared('cases/c18b_chat_multiturn'));

test('c18b: the text is the user message the label answers; no false duplicates; the choice is reported', async () => {
  const dir = copySharedCase('c18b_chat_multiturn');
  const r = await runCliCapture(['inspect', join(dir, 'train.jsonl'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as DatasetReport;
  assert.equal(report.exampleCount, 4);
  assert.equal(report.duplicateTexts, 0);
  assert.equal(report.conflictingTexts, 0);
  assert.deepEqual(report.problems.map((p) => [p.kind, p.line]), [['chatTurnsChosen', 1], ['chatTurnsChosen', 2]]);
  assert.match(report.problems[0]!.message, /the text is message 3 .* the label is message 4; .*assistant message 2 has "weight": 0/);
  const data = await loadDataset(join(dir, 'train.jsonl'), { validationSplit: 0.25 });
  const texts = [...data.train, ...data.validation, ...data.test].sort((a, b) => a.line - b.line).map((e) => [e.text, e.label]);
  assert.deepEqual(texts, [
    ['i feel wonderful and so grateful today', 'joy'], ['i miss her so much it hurts', 'sadness'],
    ['i am thrilled about the trip', 'joy'], ['everything feels hopeless', 'sadness'],
  ]);
});

test('a 3-class chat file: system prompt, content parts, weight-0 turns after the label, and --chat-context allTurns', async () => {
  const dir = copySharedCase('c18b_chat_multiturn');
  const system = { role: 'system', content: 'Classify the intent.' };
  const line = (user: string, label: string, extra: object[] = []) => JSON.stringify({ messages: [
    system, { role: 'user', content: 'hello' }, { role: 'assistant', content: 'Hi, what is it?', weight: 0 },
    { role: 'user', content: [{ type: 'text', text: user }] }, { role: 'assistant', content: label }, ...extra,
  ] });
  const trailing = [{ role: 'user', content: 'thanks' }, { role: 'assistant', content: 'You are welcome.', weight: 0 }];
  const rows = ['refund my order', 'where is my parcel', 'reset my password', 'charge looks wrong', 'courier never came', 'locked out again']
    .map((t, i) => line(t, ['billing', 'delivery', 'account'][i % 3]!, i === 0 ? trailing : []));
  await writeFile(join(dir, 'intents.jsonl'), `${rows.join('\n')}\n`);
  const inspect = JSON.parse((await runCliCapture(['inspect', join(dir, 'intents.jsonl'), '--json'], dir)).stdout) as DatasetReport;
  assert.equal(inspect.exampleCount, 6);
  assert.equal(inspect.labels.length, 3);
  assert.equal(inspect.problems.filter((p) => p.kind === 'chatTurnsChosen').length, 6);
  assert.match(inspect.problems[0]!.message, /7 messages: the text is message 4 .* the label is message 5; 5 other messages are ignored; assistant messages 3, 7 have "weight": 0/);

  const last = await loadDataset(join(dir, 'intents.jsonl'), { seed: 1 });
  const first = [...last.train, ...last.validation, ...last.test].find((e) => e.line === 1)!;
  assert.deepEqual([first.text, first.label], ['refund my order', 'billing'], 'a weight-0 reply after the label is not the label');
  const all = await loadDataset(join(dir, 'intents.jsonl'), { seed: 1, chatContext: 'allTurns' });
  const withTurns = [...all.train, ...all.validation, ...all.test].find((e) => e.line === 1)!;
  assert.equal(withTurns.text, 'Classify the intent.\nhello\nHi, what is it?\nrefund my order');
  assert.equal(withTurns.label, 'billing');

  const bad = await runCliCapture(['inspect', join(dir, 'intents.jsonl'), '--chat-context', 'everything'], dir);
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /--chat-context must be lastUser or allTurns/);
  // The extension's relabel fix edits the same message the engine read the label from.
  assert.equal(JSON.parse(relabelLine(rows[0]!, 'account')!).messages[4].content, 'account');
  assert.equal(JSON.parse(relabelLine(rows[0]!, 'account')!).messages[6].content, 'You are welcome.');
});
