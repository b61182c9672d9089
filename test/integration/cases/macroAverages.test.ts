// Kind 2 of issue 16: macro averages follow scikit-learn (classes present in the truth or the predictions),
// the convention is stated, and a class with no examples shows n/a. Case c25_macro_f1_absent_class, and a
// second input of the same kind: a 4-class run evaluated on a file with only one class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copySharedCase } from '../../helpers/sharedCases';
import { needs, shared } from '../../helpers/requirements';
import { runCliCapture } from '../../helpers/runCliCapture';

interface EvalJson { metrics: { accuracy: number; macroF1: number; macroLabelCount: number; perClass: { label: string; support: number }[]; confusion: number[][] } }

async function trainNgram(dir: string, file: string): Promise<string> {
  const runsDir = join(dir, 'runs');
  const train = await runCliCapture(['train', file, '--model', 'ngram', '--epochs', '30', '--runs-dir', runsDir], dir);
  assert.equal(train.code, 0, train.stderr);
  const [runId] = await readdir(runsDir);
  return join(runsDir, runId!);
}

const c25 = needs(shared('cases/c25_macro_f1_absent_class'));

test('c25: a perfect 3-class model on a file holding 2 classes reports macro F1 100 % and the absent class as n/a', c25, async () => {
  const dir = copySharedCase('c25_macro_f1_absent_class');
  const run = await trainNgram(dir, join(dir, 'train.jsonl'));
  const json = await runCliCapture(['eval', run, join(dir, 'eval_two_classes.jsonl'), '--json'], dir);
  assert.equal(json.code, 0, json.stderr);
  const { metrics } = JSON.parse(json.stdout) as EvalJson;
  assert.equal(metrics.accuracy, 1, 'the case needs a perfect model');
  assert.equal(metrics.macroF1, 1);
  assert.equal(metrics.macroLabelCount, 2);
  assert.equal(metrics.perClass.length, 3, 'per-class rows stay complete');
  assert.equal(metrics.confusion.length, 3, 'the confusion matrix stays complete');
  const text = await runCliCapture(['eval', run, join(dir, 'eval_two_classes.jsonl')], dir);
  assert.match(text.stdout, /\| 10 examples \| +100\.0% \| +100\.0% \|/, 'accuracy and macro F1 both 100 %');
  assert.match(text.stdout, /Macro averages are over the classes present in the truth or the predictions, as in scikit-learn/);
  const absent = metrics.perClass.find((c) => c.support === 0)!;
  assert.match(text.stdout, new RegExp(`\\| ${absent.label} \\| n/a \\| n/a \\| n/a \\| 0 \\|`));
});

test('a 4-class run evaluated on a file with one class averages over that class only', c25, async () => {
  const dir = copySharedCase('c25_macro_f1_absent_class');
  const words = { billing: 'invoice refund charge', delivery: 'parcel courier tracking', login: 'password account locked', other: 'weather music garden' };
  const lines = Object.entries(words).flatMap(([label, w]) => Array.from({ length: 15 }, (_, i) => JSON.stringify({ text: `${w} number ${i}`, label })));
  await writeFile(join(dir, 'four.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'only-login.jsonl'), `${Array.from({ length: 5 }, (_, i) => JSON.stringify({ text: `password account locked again ${i}`, label: 'login' })).join('\n')}\n`);
  const run = await trainNgram(dir, join(dir, 'four.jsonl'));
  const json = await runCliCapture(['eval', run, join(dir, 'only-login.jsonl'), '--json'], dir);
  assert.equal(json.code, 0, json.stderr);
  const { metrics } = JSON.parse(json.stdout) as EvalJson;
  assert.equal(metrics.accuracy, 1);
  assert.equal(metrics.macroF1, 1);
  assert.equal(metrics.macroLabelCount, 1);
  assert.equal(metrics.perClass.length, 4);
});
