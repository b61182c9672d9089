// Heads by name (issue 15 §5, issue 17 kind 9): wherever a model meets labels, a head's rows are matched to
// labels by id2label name. Cases c10b_head_label_order and c12b_head_missing (folders built by
// ../shared/cases/make_model.py with Debian's torch), and second inputs of the same kind: a new label added to a
// named head, a head whose rows disagree with id2label, a head with no id2label, eval of a folder on integer labels.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copySharedCase } from '../../helpers/sharedCases';
import { python, pythonModule, shared, sharedPath, testsNeeding } from '../../helpers/requirements';
import { runCliCapture } from '../../helpers/runCliCapture';

const test = testsNeeding(shared('cases/make_model.py'), shared('models/bert-tiny-random'), pythonModule('torch'));

/** `make_model.py <dir>/<name> ...args`: a small BertForSequenceClassification folder. */
function makeModel(dir: string, name: string, args: string[]): string {
  const out = join(dir, name);
  const r = spawnSync(python, [sharedPath('cases', 'make_model.py'), out, ...args], { encoding: 'utf8', cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

async function setConfig(folder: string, change: (config: Record<string, unknown>) => void): Promise<void> {
  const file = join(folder, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  change(config);
  await writeFile(file, JSON.stringify(config, null, 2));
}

/** `predict` of one text: the top label and its probability. */
async function top(dir: string, model: string, text: string): Promise<{ label: string; probability: number; stderr: string }> {
  const r = await runCliCapture(['predict', '-m', model, text, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const p = JSON.parse(r.stdout) as { label: string; top: { label: string; probability: number }[] };
  return { label: p.label, probability: p.top[0]!.probability, stderr: r.stderr };
}

/** A near-zero learning-rate run: the trained model must predict what the folder predicted. `stdout` holds both streams. */
async function tinyRun(dir: string, model: string, file: string): Promise<{ runDir: string; stdout: string }> {
  const runs = join(dir, 'runs');
  const r = await runCliCapture(['train', file, '--model', model, '--lr', '1e-9', '--epochs', '1', '--warmup-ratio', '0', '--backend', 'cpu', '--workers', '1', '--runs-dir', runs], dir);
  assert.equal(r.code, 0, r.stderr);
  const all = await readdir(runs);
  return { runDir: join(runs, all.sort().at(-1)!), stdout: r.stdout + r.stderr };
}

const text = 'i didnt feel humiliated';

test('c10b: a head named pos,neg trained on data labelled neg/pos keeps its meaning (rows matched by name, mapping printed)', async () => {
  const dir = copySharedCase('c10b_head_label_order');
  const folder = makeModel(dir, 'm', ['--labels', 'pos,neg', '--seed', '3', '--head-std', '3']);
  const before = await top(dir, folder, text);
  assert.ok(before.probability > 0.9, `the case needs a confident head (${before.probability})`);
  const run = await tinyRun(dir, folder, join(dir, 'train.jsonl'));
  assert.match(run.stdout, /Classifier head matched to the labels by name \(id2label\): neg ← row 1, pos ← row 0/);
  const after = await top(dir, run.runDir, text);
  assert.equal(after.label, before.label, 'the label is not swapped');
  assert.ok(Math.abs(after.probability - before.probability) < 1e-3);
  // eval of the folder on integer labels names them through its id2label (0 = pos, 1 = neg).
  const lines = (await readFile(join(dir, 'train.jsonl'), 'utf8')).trim().split('\n').slice(0, 10)
    .map((l) => { const r = JSON.parse(l) as { text: string; label: string }; return JSON.stringify({ text: r.text, label: r.label === 'pos' ? 0 : 1 }); });
  await writeFile(join(dir, 'ids.jsonl'), `${lines.join('\n')}\n`);
  const evaluated = await runCliCapture(['eval', folder, join(dir, 'ids.jsonl'), '--json'], dir);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const out = JSON.parse(evaluated.stdout) as { metrics: { examples: number }; labelNaming: string };
  assert.equal(out.metrics.examples, 10);
  assert.match(out.labelNaming, /through the model's id2label \(0 = pos, 1 = neg\)/);
});

test('a new label: the named rows are kept, a row is initialised for the new one and named in the output', async () => {
  const dir = copySharedCase('c10b_head_label_order');
  const folder = makeModel(dir, 'm', ['--labels', 'pos,neg', '--seed', '3', '--head-std', '3']);
  const before = await top(dir, folder, text);
  const lines = (await readFile(join(dir, 'train.jsonl'), 'utf8')).trim().split('\n');
  const extra = Array.from({ length: 12 }, (_, i) => JSON.stringify({ text: `the weather report number ${i} says rain`, label: 'neutral' }));
  await writeFile(join(dir, 'three.jsonl'), `${[...lines, ...extra].join('\n')}\n`);
  const run = await tinyRun(dir, folder, join(dir, 'three.jsonl'));
  assert.match(run.stdout, /neg ← row 1, neutral ← new row, pos ← row 0; new rows initialised for neutral/);
  const r = await runCliCapture(['predict', '-m', run.runDir, text, '--json', '--top-k', '3'], dir);
  const p = JSON.parse(r.stdout) as { top: { label: string; probability: number }[] };
  const prob = (l: string) => p.top.find((t) => t.label === l)!.probability;
  const other = before.label === 'neg' ? 'pos' : 'neg';
  assert.ok(prob(before.label) > prob(other), `${before.label} still beats ${other}`);
});

test('c12b: a folder without a trained head is refused for prediction and eval, models says the head is missing, training says it is new', async () => {
  const dir = copySharedCase('c10b_head_label_order');
  const folder = makeModel(dir, 'base', ['--labels', 'neg,neu,pos', '--no-head']);
  await setConfig(folder, (c) => { c.id2label = { 0: 'neg', 1: 'neu', 2: 'pos' }; c.label2id = { neg: 0, neu: 1, pos: 2 }; });
  for (const args of [['predict', '-m', folder, text], ['eval', folder, join(dir, 'train.jsonl')]]) {
    const r = await runCliCapture(args, dir);
    assert.equal(r.code, 2, `${args[0]} refuses`);
    assert.match(r.stderr, /no trained classification head \(no "classifier\.weight" in its weights\)/);
  }
  const models = await runCliCapture(['models', folder], dir);
  assert.match(models.stdout, /head: +missing \(no "classifier\.weight"\)/);
  const run = await tinyRun(dir, folder, join(dir, 'train.jsonl'));
  assert.match(run.stdout, /no trained classifier head: a new one is initialised for neg, pos/);
});

test('a head whose rows disagree with id2label is reported as the wrong shape; a head without id2label predicts LABEL_i with a warning', async () => {
  const dir = copySharedCase('c10b_head_label_order');
  const wrong = makeModel(dir, 'wrong', ['--labels', 'pos,neg', '--seed', '4']);
  await setConfig(wrong, (c) => { c.id2label = { 0: 'pos', 1: 'neg', 2: 'neu' }; c.label2id = { pos: 0, neg: 1, neu: 2 }; });
  const refused = await runCliCapture(['predict', '-m', wrong, text], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /wrong shape for its labels: "classifier\.weight" has 2 rows but id2label names 3 labels/);
  assert.match((await runCliCapture(['models', wrong], dir)).stdout, /head: +wrong shape: 2 rows but id2label names 3 labels/);
  const run = await tinyRun(dir, wrong, join(dir, 'train.jsonl'));
  assert.match(run.stdout, /has 2 rows but its id2label names 3 labels: the head cannot be matched to labels and is initialised anew/);

  const unnamed = makeModel(dir, 'unnamed', ['--labels', 'a,b,c', '--id2label', 'none', '--seed', '5']);
  const p = await top(dir, unnamed, text);
  assert.match(p.label, /^LABEL_[012]$/);
  assert.match(p.stderr, /Warning: .*names no labels .*LABEL_0, LABEL_1, LABEL_2/);
  assert.match((await runCliCapture(['models', unnamed], dir)).stdout, /trained for 3 labels: unnamed/);
});

test('training from a named folder on integer labels names them through its id2label, then matches the head by name', async () => {
  const dir = copySharedCase('c10b_head_label_order');
  const folder = makeModel(dir, 'm', ['--labels', 'pos,neg', '--seed', '3', '--head-std', '3']);
  const before = await top(dir, folder, text);
  const lines = (await readFile(join(dir, 'train.jsonl'), 'utf8')).trim().split('\n')
    .map((l) => { const r = JSON.parse(l) as { text: string; label: string }; return JSON.stringify({ text: r.text, label: r.label === 'pos' ? 0 : 1 }); });
  await writeFile(join(dir, 'ids.jsonl'), `${lines.join('\n')}\n`);
  const run = await tinyRun(dir, folder, join(dir, 'ids.jsonl'));
  assert.match(run.stdout, /Integer labels on 40 lines were read as names through the model's id2label \(0 = pos, 1 = neg\)/);
  assert.match(run.stdout, /neg ← row 1, pos ← row 0/);
  const record = JSON.parse(await readFile(join(run.runDir, 'run.json'), 'utf8')) as { labels: string[] };
  assert.deepEqual(record.labels, ['neg', 'pos']);
  assert.equal((await top(dir, run.runDir, text)).label, before.label);
});
