// Kinds 4 and 5 of issue 16: texts that reach the model empty, and true lengths with truncation. Cases
// c08_emoji_only and c07_long_texts, and second inputs of the same kinds: another file and class count through
// train (the n-gram model learns emoji texts) and inspect's --max-length, and a BERT run asked for more tokens
// than the model has positions.
import '../../unit/extension/useFakeVscode';
import { shared, testsNeeding } from '../../helpers/requirements';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copySharedCase, sharedDir } from '../../helpers/sharedCases';
import { runCliCapture } from '../../helpers/runCliCapture';
import type { DatasetReport } from '../../../src/protocol/dataset';
import { toDiagnostic } from '../../../src/extension/commands/datasetDiagnostics';

const test = testsNeeding(shared('cases/c08_emoji_only'), shared('cases/c07_long_texts'), shared('models/bert-tiny-random'));

const bertTiny = join(sharedDir, 'models', 'bert-tiny-random');

async function inspectJson(dir: string, args: string[]): Promise<DatasetReport> {
  const r = await runCliCapture(['inspect', ...args, '--json', '--no-siblings'], dir);
  return JSON.parse(r.stdout) as DatasetReport;
}

test('c08: emoji-only and invisible-only texts are reported with their lines, with and without a tokenizer', async () => {
  const dir = copySharedCase('c08_emoji_only');
  const file = join(dir, 'train.jsonl');
  const words = await inspectJson(dir, [file]);
  const empty = words.problems.filter((p) => p.kind === 'uninformativeText');
  assert.deepEqual(empty.map((p) => p.line), [63], 'without a tokenizer only the zero-width space line is empty: emoji are n-gram features');
  assert.match(empty[0]!.message, /only invisible characters \(U\+200B zero-width space\)/);
  // The editor's dataset diagnostics come from the same report: line 63, the character named, no CLI flag.
  const diagnostic = toDiagnostic(empty[0]!);
  assert.equal(diagnostic.range.start.line, 62);
  assert.match(diagnostic.message, /U\+200B zero-width space/);
  assert.doesNotMatch(diagnostic.message, /--[a-z]/);
  const bert = await inspectJson(dir, [file, '--tokenizer', bertTiny]);
  const unknown = bert.problems.filter((p) => p.kind === 'uninformativeText');
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  assert.equal(unknown.length, lines.length - 2, 'every non-blank line reaches BERT as [UNK] only (lines 61-62 are empty texts)');
  assert.match(unknown[0]!.message, /unknown token/);
});

test('a 3-class emoji file: the n-gram model learns it; the training log counts the empty texts', async () => {
  const dir = copySharedCase('c08_emoji_only');
  const emoji: Record<string, string[]> = { joy: ['😀', '🥳', '😍', '❤️'], sadness: ['😢', '😭', '💔', '🙁'], anger: ['😡', '🤬', '👎', '💢'] };
  const rows: string[] = [];
  for (let i = 0; i < 90; i++) {
    const [label, set] = Object.entries(emoji)[i % 3]!;
    rows.push(JSON.stringify({ text: `${set[i % 4]}${set[(i + 1) % 4]}${i % 2 ? set[(i + 2) % 4] : ''}`, label }));
  }
  rows.push(JSON.stringify({ text: '\u200B\u200B', label: 'joy' }), JSON.stringify({ text: '?!', label: 'anger' }));
  await writeFile(join(dir, 'three.jsonl'), `${rows.join('\n')}\n`);
  const report = await inspectJson(dir, [join(dir, 'three.jsonl')]);
  assert.deepEqual(report.problems.filter((p) => p.kind === 'uninformativeText').map((p) => p.line), [91, 92]);
  assert.match(report.problems.find((p) => p.line === 92)!.message, /no letter, digit or symbol/);
  const runs = join(dir, 'runs');
  const r = await runCliCapture(['train', join(dir, 'three.jsonl'), '--model', 'ngram', '--epochs', '20', '--runs-dir', runs, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /2 texts reach the model with no information \([^)]*three\.jsonl:91, [^)]*three\.jsonl:92\)/);
  const [run] = await readdir(runs);
  const metrics = JSON.parse(await readFile(join(runs, run!, 'metrics.json'), 'utf8')) as { test: { accuracy: number } | null; best: { accuracy: number } | null };
  const accuracy = (metrics.test ?? metrics.best)!.accuracy;
  assert.ok(accuracy >= 0.9, `emoji texts are learnable: test accuracy ${accuracy}`);
});

test('c07: true token lengths, lines over max_length and tokens lost; --max-length changes the budget', async () => {
  const dir = copySharedCase('c07_long_texts');
  const file = join(dir, 'train.jsonl');
  const report = await inspectJson(dir, [file, '--tokenizer', bertTiny]);
  assert.ok(report.tokenLength.max > 1500, `true lengths, not capped at 512 (max ${report.tokenLength.max})`);
  assert.equal(report.truncation!.maxLength, 128);
  const over = report.problems.filter((p) => p.kind === 'truncatedText');
  assert.equal(over.length, report.truncation!.lines);
  assert.ok(report.truncation!.lines > 0 && report.truncation!.tokensLost > 5000);
  const lost = over.reduce((n, p) => n + Number(/the last (\d+) are cut off/.exec(p.message)![1]), 0);
  assert.equal(lost, report.truncation!.tokensLost, 'the per-line losses add up to the total');
  const wide = await inspectJson(dir, [file, '--tokenizer', bertTiny, '--max-length', '1024']);
  assert.ok(wide.truncation!.tokensLost < report.truncation!.tokensLost && wide.truncation!.lines > 0);
  const text = await runCliCapture(['inspect', file, '--no-siblings'], dir);
  assert.match(text.stdout, /Over max_length 128: \d+ texts lose \d+ tokens in all \(estimated\)/);
  assert.doesNotMatch(text.stdout, /Problems {2}none/);
});

test('--max-length beyond the model positions is clamped with a message and run.json records the value used', async () => {
  const dir = copySharedCase('c07_long_texts');
  const runs = join(dir, 'runs');
  const r = await runCliCapture(['train', join(dir, 'train.jsonl'), '--model', bertTiny, '--max-length', '1024', '--epochs', '1', '--batch', '8', '--backend', 'cpu', '--workers', '1', '--runs-dir', runs, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /max_length 1024 is beyond the 512 positions/);
  const [run] = await readdir(runs);
  const record = JSON.parse(await readFile(join(runs, run!, 'run.json'), 'utf8')) as { config: { maxLength: number } };
  assert.equal(record.config.maxLength, 512);
});
