// Kind 6 of issue 16: messages a user can act on. Case c01b_bom_mid (a byte-order mark inside a file), and
// second inputs of the same kind: a zero-width space and a control character in a line, through inspect and
// eval, and the editor's diagnostics, which never tell the user to pass a command-line flag.
import '../../unit/extension/useFakeVscode';
import { shared, testsNeeding } from '../../helpers/requirements';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copySharedCase } from '../../helpers/sharedCases';
import { runCliCapture } from '../../helpers/runCliCapture';
import { inspectDataset } from '../../../src/engine/data/inspectDataset';
import { toDiagnostic } from '../../../src/extension/commands/datasetDiagnostics';
import { makeProblem } from '../../../src/engine/data/datasetProblemCatalog';
import { DatasetProblemKinds, type DatasetReport } from '../../../src/protocol/dataset';

const test = testsNeeding(shared('cases/c01b_bom_mid'));

test('c01b: a byte-order mark at the start of line 61 is named, located and ignored', async () => {
  const dir = copySharedCase('c01b_bom_mid');
  const r = await runCliCapture(['inspect', join(dir, 'train.jsonl'), '--json'], dir);
  const report = JSON.parse(r.stdout) as DatasetReport;
  assert.equal(report.exampleCount, 120, 'the line with the mark is read');
  assert.deepEqual(report.problems.map((p) => [p.kind, p.line, p.column]), [['byteOrderMark', 61, 1]]);
  assert.match(report.problems[0]!.message, /U\+FEFF byte-order mark/);
  assert.doesNotMatch(JSON.stringify(report.problems), /\uFEFF/, 'no invisible character in any message');
});

test('a zero-width space and a control character are named, with the column, in inspect and eval', async () => {
  const dir = copySharedCase('c01b_bom_mid');
  const lines = (await readFile(join(dir, 'train.jsonl'), 'utf8')).replace(/\uFEFF/g, '').trim().split('\n');
  lines[4] = `\u200B${lines[4]}`;
  lines[9] = lines[9]!.replace('"label"', '\u0007"label"');
  await writeFile(join(dir, 'odd.jsonl'), `${lines.join('\n')}\n`);
  const report = await inspectDataset(join(dir, 'odd.jsonl'));
  const json = report.problems.filter((p) => p.kind === 'invalidJson');
  assert.deepEqual(json.map((p) => [p.line, p.column]), [[5, 1], [10, lines[9]!.indexOf('\u0007') + 1]]);
  assert.match(json[0]!.message, /Unexpected invisible character U\+200B zero-width space/);
  assert.match(json[1]!.message, /U\+0007 control character/);
  for (const p of report.problems) {
    assert.doesNotMatch(`${p.message} ${p.hint}`, /[\u200B\u0007]/);
    assert.doesNotMatch(p.hint, /given column/, 'hints refer only to what is shown');
  }
  // eval reads files the same way: the joined file evaluates every line.
  const runs = join(dir, 'runs');
  assert.equal((await runCliCapture(['train', join(dir, 'odd.jsonl'), '--model', 'ngram', '--epochs', '2', '--runs-dir', runs], dir)).code, 0);
  const [run] = await readdir(runs);
  const evaluated = await runCliCapture(['eval', join(runs, run!), join(dir, 'train.jsonl'), '--json'], dir);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.equal((JSON.parse(evaluated.stdout) as { metrics: { examples: number } }).metrics.examples, 120);
});

test('in the editor no dataset problem tells the user to pass a command-line flag; the setting is named instead', () => {
  for (const kind of DatasetProblemKinds) {
    const d = toDiagnostic(makeProblem(kind, '/w/train.jsonl', 3, 'Something is wrong.'));
    assert.doesNotMatch(d.message, /--[a-z]/, `${kind}: ${d.message}`);
  }
  assert.match(toDiagnostic(makeProblem('missingLabel', '/w/t.jsonl', 1, 'No label.')).message, /"Classifier Workbench › Dataset: Label Field" setting/);
  assert.match(toDiagnostic(makeProblem('chatTurnsChosen', '/w/t.jsonl', 1, 'Chat.')).message, /Dataset: Chat Context/);
});
