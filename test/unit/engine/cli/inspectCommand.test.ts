// `inspect` through runCli (summary, JSON, exit codes, options) and through the installed bin launcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../src/engine/cli/runCli';
import { commands } from '../../../../src/engine/cli/commands';
import type { DatasetReport } from '../../../../src/protocol/dataset';

const root = join(__dirname, '../../../..');
const fixtures = join(root, 'test/fixtures');

async function inspect(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['inspect', ...argv], commands, {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    cwd: fixtures,
    signal: new AbortController().signal,
    version: '0.0.0',
  });
  return { code, out, err };
}

test('summary of a trainable file: counts, label table, lengths, problems with file:line, exit 0', async () => {
  const { code, out } = await inspect(['bad/conflictingLabels.jsonl']);
  assert.equal(code, 0);
  assert.match(out, /5 examples from 5 lines/);
  assert.match(out, /text "text", label "label" \(detected\)/);
  assert.match(out, /0\s+neg\s+3\s+60\.0%/);
  assert.match(out, /1\s+pos\s+2\s+40\.0%/);
  assert.match(out, /Text length \(chars\)\s+min 20\s+median 22/);
  assert.match(out, /1 text repeated; 1 text with conflicting labels/);
  assert.match(out, /warning conflictingLabels ×1\n\s+bad\/conflictingLabels\.jsonl:3 {2}Same text as line 1 \(labelled "pos"\), here labelled "neg"\./);
  assert.match(out, /→ Decide which label is right/);
  assert.match(out, /Trainable: 5 examples in 2 classes\./);
});

test('problems are capped per kind with a count of the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-cli-'));
  try {
    const lines = ['{"text":"a","label":"x"}', '{"text":"b","label":"y"}', ...Array.from({ length: 12 }, (_, i) => `{"text": "broken ${i}"`)];
    writeFileSync(join(dir, 'd.jsonl'), lines.join('\n'));
    const { out } = await inspect([join(dir, 'd.jsonl'), '--limit', '3']);
    assert.match(out, /error invalidJson ×12\n(.*\n){3}\s+… and 9 more/);
    assert.equal((out.match(/Invalid JSON/g) ?? []).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not trainable: exit 2 and a clear reason as the last line of the summary', async () => {
  const one = await inspect(['bad/oneClass.jsonl']);
  assert.equal(one.code, 2);
  assert.match(one.out, /\nNot trainable: Every example has the label "only"; a classifier needs at least two classes\.\n$/);
  const empty = await inspect(['bad/empty.jsonl']);
  assert.equal(empty.code, 2);
  assert.match(empty.out, /Not trainable: The file is empty/);
  const missing = await inspect(['bad/does-not-exist.jsonl']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /does-not-exist\.jsonl: no such file or folder; check the path of the dataset\n/);
  assert.doesNotMatch(missing.err, /ENOENT|open '/);
});

test('a missing dataset gets the same message from inspect and train', async () => {
  let trainErr = '';
  const trainCode = await runCli(['train', 'bad/does-not-exist.jsonl', '--model', 'ngram'], commands, {
    stdout: () => undefined, stderr: (t) => { trainErr += t; }, cwd: fixtures, signal: new AbortController().signal, version: '0.0.0',
  });
  const inspected = await inspect(['bad/does-not-exist.jsonl']);
  assert.equal(trainCode, inspected.code);
  assert.equal(trainErr.replace('classifier-workbench train:', ''), inspected.err.replace('classifier-workbench inspect:', ''));
});

test('--json prints the full report; field and label-name options are applied', async () => {
  const { code, out } = await inspect(['good/integerLabels.jsonl', '--json', '--label-names', 'zero,one,two', '--text-field', 'sentence', '--label-field', 'intent']);
  assert.equal(code, 0);
  const report = JSON.parse(out) as DatasetReport;
  assert.deepEqual(report.labels, ['zero', 'one', 'two']);
  assert.deepEqual(report.labelCounts, [4, 4, 4]);
  assert.deepEqual(report.fields, { format: 'fields', textField: 'sentence', labelField: 'intent', detected: false });
  const oversized = JSON.parse((await inspect(['bad/oversizedLine.jsonl', '--json', '--max-line-bytes', '200'])).out) as DatasetReport;
  assert.deepEqual(oversized.problems.map((p) => `${p.kind}@${p.line}`), ['oversizedLine@2']);
  assert.equal((await inspect(['bad/oversizedLine.jsonl', '--max-line-bytes', 'lots'])).code, 64);
  assert.equal((await inspect(['good/small.jsonl', '--label-names', '@nope.txt'])).code, 64);
});

test('the bin launcher runs the built CLI (as `npx classifier-workbench` does)', () => {
  // `npm test` builds dist/ first; a missing bundle is a real failure, not a skip.
  assert.ok(existsSync(join(root, 'dist/cli.js')), 'dist/cli.js is built');
  const bin = join(root, 'bin/classifier-workbench.js');
  const out = execFileSync(process.execPath, [bin, 'inspect', join(fixtures, 'good/chat.jsonl')], { encoding: 'utf8' });
  assert.match(out, /10 examples from 10 lines/);
  assert.match(out, /OpenAI chat messages/);
  const bad = spawnSync(process.execPath, [bin, 'inspect', join(fixtures, 'bad/oneClass.jsonl')], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stdout, /Not trainable/);
});
