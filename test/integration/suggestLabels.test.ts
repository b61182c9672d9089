// "Suggest lines to label" end to end on the library and the CLI: a real n-gram run on the support-ticket sample,
// unlabeled lines from a JSONL file, a text file and the training file itself; what is left out and why; bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { suggestLinesToLabel } from '../../src/engine/activeLearning/suggestLines';
import { EngineError } from '../../src/engine/errors';
import { runCliCapture } from '../helpers/runCliCapture';
import { EngineClient } from '../../src/extension/engine/engineClient';
import { EngineErrorCodes } from '../../src/protocol/errors';

const root = join(__dirname, '..', '..');
const samples = join(root, 'samples');
const enginePath = process.env.CLASSIFIER_WORKBENCH_ENGINE ?? join(root, 'dist', 'engine.js');
let dir = '';
let runDir = '';
let train = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'suggest-'));
  train = join(dir, 'tickets-train.jsonl');
  await copyFile(join(samples, 'support-tickets-train.jsonl'), train);
  await copyFile(join(samples, 'support-tickets-validation.jsonl'), join(dir, 'tickets-validation.jsonl'));
  const result = await trainRun({ dataset: train, model: 'ngram', epochs: 4, runsDir: join(dir, 'runs') });
  assert.equal(result.state, 'completed');
  runDir = result.runDir;
});
after(async () => rm(dir, { recursive: true, force: true }));

const unlabeledTickets = [
  'my parcel never arrived and the tracking has not moved in a week',
  'My parcel never arrived and the tracking has not moved in a week.',
  'my parcel never arrived and tracking has not moved for a week',
  'i was charged twice for the same order',
  'cannot log in, the reset email never comes',
  'the blender arrived broken, i want a refund',
  'do you ship to norway',
  'thanks, all sorted now',
];

test('a JSONL file of unlabeled lines: n suggestions with guesses, uncertain first, no near-duplicate pair in one batch', async () => {
  const file = join(dir, 'unlabeled.jsonl');
  await writeFile(file, `${unlabeledTickets.map((text) => JSON.stringify({ text })).join('\n')}\n`);
  const result = await suggestLinesToLabel({ unlabeled: file, model: runDir, n: 4 });
  assert.equal(result.format, 'jsonl');
  assert.equal(result.poolSize, 8);
  assert.equal(result.suggestions.length, 4);
  const labels = ['account_access', 'billing', 'delivery', 'other', 'refund'].filter((l) => result.labels.includes(l));
  assert.ok(labels.length >= 4, `labels ${result.labels}`);
  for (const s of result.suggestions) {
    assert.equal(s.text, unlabeledTickets[s.line - 1]);
    assert.ok(result.labels.includes(s.prediction.label));
    assert.equal(s.prediction.top.length, 3);
    assert.ok(s.uncertainty >= 0 && s.uncertainty <= 1);
  }
  // Only one of the three wordings of the parcel complaint may be in the batch.
  assert.ok(result.suggestions.filter((s) => s.line <= 3).length <= 1, JSON.stringify(result.suggestions.map((s) => s.line)));
  // The first suggestion is the most uncertain line of the pool (k-center starts there).
  const all = await suggestLinesToLabel({ unlabeled: file, model: runDir, n: 8, excludeTexts: [] });
  assert.equal(result.suggestions[0]!.line, all.suggestions[0]!.line);
  assert.equal(result.suggestions[0]!.uncertainty, Math.max(...all.suggestions.map((s) => s.uncertainty)));
});

test('a run with temperature scaling ranks on its calibrated probabilities and says so; without it, on the raw ones', async () => {
  const file = join(dir, 'calibration.txt');
  await writeFile(file, `${unlabeledTickets.join('\n')}\n`);
  // Two copies of the run: one whose run.json has no calibration, one with a strong softening temperature.
  const withRunJson = async (name: string, edit: (record: Record<string, unknown>) => void) => {
    const copy = join(dir, name);
    await cp(runDir, copy, { recursive: true });
    const record = JSON.parse(await readFile(join(copy, 'run.json'), 'utf8')) as Record<string, unknown>;
    edit(record);
    await writeFile(join(copy, 'run.json'), JSON.stringify(record));
    return copy;
  };
  const rawRun = await withRunJson('run-raw', (r) => { delete r.calibration; });
  const softRun = await withRunJson('run-soft', (r) => { r.calibration = { method: 'temperature', temperature: 4, fittedOn: 'validation', nllBefore: 1, nllAfter: 0.9 }; });
  const raw = await suggestLinesToLabel({ unlabeled: file, model: rawRun, n: 8 });
  const soft = await suggestLinesToLabel({ unlabeled: file, model: softRun, n: 8 });
  assert.equal(raw.probabilities, 'raw');
  assert.equal(soft.probabilities, 'calibrated');
  const confidence = (r: typeof raw, text: string) => r.suggestions.find((s) => s.text === text)!.prediction.confidence;
  for (const text of unlabeledTickets.slice(3)) {
    assert.ok(confidence(soft, text) < confidence(raw, text), `T = 4 flattens the probabilities of "${text}"`);
    assert.equal(soft.suggestions.find((s) => s.text === text)!.prediction.label, raw.suggestions.find((s) => s.text === text)!.prediction.label, 'a temperature keeps the guess');
  }
  // The trained run itself says which it used.
  const trained = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as { calibration?: unknown };
  assert.equal((await suggestLinesToLabel({ unlabeled: file, model: runDir, n: 1 })).probabilities, trained.calibration ? 'calibrated' : 'raw');
});

test('a text file gives one example per non-blank line; skipped texts and texts labelled in the run\'s training file are left out', async () => {
  const file = join(dir, 'unlabeled.txt');
  const labelledText = (JSON.parse((await readFile(train, 'utf8')).split('\n')[0]!) as { text: string }).text;
  await writeFile(file, `${unlabeledTickets[3]}\n\n${unlabeledTickets[4]}\r\n  ${labelledText.toUpperCase()}  \n${unlabeledTickets[6]}\n`);
  const result = await suggestLinesToLabel({ unlabeled: file, model: runDir, n: 10, excludeTexts: [unlabeledTickets[6]!] });
  assert.equal(result.format, 'text');
  assert.equal(result.excludedAsLabeled, 1);
  assert.equal(result.excludedAsSkipped, 1);
  assert.deepEqual(result.suggestions.map((s) => s.line).sort(), [1, 3]);
});

test('the unlabeled lines of the training file itself are the pool; its labelled lines are counted, not suggested', async () => {
  const mixed = join(dir, 'mixed.jsonl');
  const labelled = (await readFile(train, 'utf8')).trim().split('\n').slice(0, 5);
  await writeFile(mixed, [...labelled, JSON.stringify({ text: unlabeledTickets[3] }), JSON.stringify({ text: unlabeledTickets[5], label: null }), JSON.stringify({ text: unlabeledTickets[6], label: '' }), '{"text": broken'].join('\n'));
  const result = await suggestLinesToLabel({ unlabeled: mixed, model: runDir, n: 50 });
  assert.equal(result.labeledLines, 5);
  assert.deepEqual(result.suggestions.map((s) => s.line).sort(), [6, 7, 8]);
  assert.equal(result.unreadableLines, 1);
  assert.equal(result.unreadable[0]!.line, 9);
  assert.match(result.unreadable[0]!.reason, /invalid JSON/);
});

test('a file with nothing to suggest, a missing file and a bad batch size get clear errors naming the file', async () => {
  await assert.rejects(suggestLinesToLabel({ unlabeled: train, model: runDir }), (e: unknown) => e instanceof EngineError && e.data.file === train && /no unlabeled lines.*360 line\(s\) already have a label/.test(e.message));
  const broken = join(dir, 'broken.jsonl');
  await writeFile(broken, '{"text": "a"\n[1, 2]\n');
  await assert.rejects(suggestLinesToLabel({ unlabeled: broken, model: runDir }), (e: unknown) => e instanceof EngineError && e.data.line === 1 && /could not be read \(line 1: invalid JSON/.test(e.message));
  await assert.rejects(suggestLinesToLabel({ unlabeled: join(dir, 'nope.txt'), model: runDir }), /nope\.txt: no such file/);
  for (const table of ['pool.csv', 'pool.TSV']) {
    await writeFile(join(dir, table), 'text\nwhere is my parcel\n');
    await assert.rejects(suggestLinesToLabel({ unlabeled: join(dir, table), model: runDir }), /(CSV|TSV) files cannot be suggested from yet; write the unlabeled texts as JSONL/);
  }
  await assert.rejects(suggestLinesToLabel({ unlabeled: train, model: runDir, n: 0 }), /whole number ≥ 1/);
  await assert.rejects(suggestLinesToLabel({ unlabeled: train, model: runDir, measure: 'chaos' as 'margin' }), /measure must be one of/);
});

test('CLI: `suggest <file> --model <run> --n 3` prints a table; --json prints the result; bad flags exit 64', async () => {
  const file = join(dir, 'cli.txt');
  await writeFile(file, `${unlabeledTickets.join('\n')}\n`);
  const table = await runCliCapture(['suggest', file, '--model', runDir, '--n', '3'], dir);
  assert.equal(table.code, 0, table.stderr);
  const calibrated = (JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as { calibration?: unknown }).calibration !== undefined;
  assert.match(table.stdout, new RegExp(`cli\\.txt: 8 unlabeled line\\(s\\) ranked by margin \\(${calibrated ? 'calibrated' : 'raw'} probabilities\\)`));
  assert.match(table.stdout, /^ +line +uncertainty +guess +top probabilities +text$/m);
  assert.equal(table.stdout.trim().split('\n').length, 2 + 1 + 3);
  const json = await runCliCapture(['--json', 'suggest', file, '--model', runDir, '--n', '2', '--measure', 'entropy'], dir);
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as { measure: string; suggestions: unknown[] };
  assert.equal(parsed.measure, 'entropy');
  assert.equal(parsed.suggestions.length, 2);
  const bad = await runCliCapture(['suggest', file, '--model', runDir, '--n', 'many'], dir);
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /--n must be a number/);
  assert.equal((await runCliCapture(['suggest', file], dir)).code, 64);
});

test('activeLearning/suggest over JSON-RPC (the real dist/engine.js) answers as the library does; bad params are refused', async () => {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run npm run build first`);
  const file = join(dir, 'rpc.jsonl');
  await writeFile(file, `${unlabeledTickets.map((text) => JSON.stringify({ text })).join('\n')}\n`);
  const client = new EngineClient({ process: { modulePath: enginePath }, output: { appendLine: () => undefined }, clientName: 'test' });
  try {
    const overRpc = await client.suggestLabels({ unlabeled: file, model: runDir, n: 3, excludeTexts: [unlabeledTickets[7]!] });
    const direct = await suggestLinesToLabel({ unlabeled: file, model: runDir, n: 3, excludeTexts: [unlabeledTickets[7]!] });
    assert.deepEqual(overRpc, direct);
    assert.equal(overRpc.excludedAsSkipped, 1);
    await assert.rejects(client.suggestLabels({ unlabeled: file, model: runDir, n: 0 }), (e: { code?: number; message: string }) => e.code === -32602 && /params\.n must be ≥ 1/.test(e.message));
    await assert.rejects(client.suggestLabels({ unlabeled: join(dir, 'missing.txt'), model: runDir }), (e: { code?: number; message: string }) => e.code === EngineErrorCodes.invalidDataset && /missing\.txt/.test(e.message));
  } finally {
    await client.dispose();
  }
});
