// Label issues on multi-label data, end to end through findLabelIssuesInDataset: out-of-fold n-gram models trained
// with the multi-label objective, per-label confident learning. A keyword dataset (labels told by their words) gets
// planted errors of both kinds — a line whose praise word has no `praise` label, lines labelled `food` without a
// food word — and both are found at the top of the ranking with the fix that adds or removes exactly that label.
// The weak-judge rule applies as for single-label data: the keyword model is reliable, one on shuffled labels is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { findLabelIssuesInDataset } from '../../src/engine/labelIssues/findLabelIssuesInDataset';
import { multiLabelWords, writeMultiLabelDataset } from './multiLabelFixture';
import { reliabilityBar } from '../../src/engine/labelIssues/reliability';
import { mulberry32 } from '../../src/engine/seededRandom';

test('a missing label and a wrong extra label are both found, each with its one-label fix', async () => {
  const { dir, train } = await writeMultiLabelDataset({ train: 1200 } as never, 11);
  try {
    const rows = (await readFile(train, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { text: string; labels: string[] });
    const hasWord = (r: { text: string }, label: string) => multiLabelWords[label]!.some((w) => r.text.split(' ').includes(w));
    // Two lines lose their praise label; two lines without any food word gain `food`.
    const missing = rows.map((_, i) => i).filter((i) => rows[i].labels.includes('praise')).slice(0, 2);
    const extra = rows.map((_, i) => i).filter((i) => !missing.includes(i) && !hasWord(rows[i], 'food') && !rows[i].labels.includes('food')).slice(0, 2);
    for (const i of missing) rows[i].labels = rows[i].labels.filter((l) => l !== 'praise');
    for (const i of extra) rows[i].labels = [...rows[i].labels, 'food'];
    await writeFile(train, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const report = await findLabelIssuesInDataset({ dataset: train });
    assert.equal(report.multiLabel, true);
    assert.equal(report.examples, rows.length, 'every line is judged');
    assert.deepEqual(report.labels, ['complaint', 'food', 'praise']);
    const planted = [...missing.map((i) => `${i + 1}:add:praise`), ...extra.map((i) => `${i + 1}:remove:food`)].sort();
    const top = report.issues.slice(0, 4).map((i) => `${i.line}:${i.labelChange!.action}:${i.labelChange!.label}`).sort();
    assert.deepEqual(top, planted, `top of the ranking: ${JSON.stringify(report.issues.slice(0, 6).map((i) => [i.line, i.labelChange]))}`);
    for (const issue of report.issues.slice(0, 4)) {
      const row = rows[issue.line - 1];
      const change = issue.labelChange!;
      assert.deepEqual(change.givenLabels, row.labels);
      assert.equal(issue.givenLabel, row.labels.join(', '));
      const after = change.action === 'add' ? [...row.labels, change.label] : row.labels.filter((l) => l !== change.label);
      assert.equal(issue.suggestedLabel, after.join(', '));
      assert.equal(issue.text, row.text);
      // The probability of the given decision is what ranks it, and the model is sure.
      assert.ok(issue.selfConfidence < 0.3 && Math.abs(issue.selfConfidence + issue.suggestedProbability - 1) < 1e-9);
      assert.ok(change.action === 'add' ? change.labelProbability > 0.7 : change.labelProbability < 0.3, JSON.stringify(change));
    }
    for (let r = 1; r < report.issues.length; r++) assert.ok(report.issues[r - 1].selfConfidence <= report.issues[r].selfConfidence);
    assert.ok(report.outOfFoldAccuracy > 0.8, `exact-set agreement ${report.outOfFoldAccuracy}`);
    // The words give the labels away: the out-of-fold model is strong enough for its issues to be raised.
    assert.equal(report.reliability?.verdict, 'reliable', JSON.stringify(report.reliability?.reasons));
    assert.equal(report.reliability!.accuracy, report.outOfFoldAccuracy);
    assert.ok(report.reliability!.perClass.every((c) => c.judged));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('labels unrelated to the words: the out-of-fold model is judged too weak, and says why against the most common set', async () => {
  const { dir, train } = await writeMultiLabelDataset({ train: 600 } as never, 12);
  try {
    // Shuffle the label lists over the lines: each label's frequency stays, its link to the words is gone.
    const rows = (await readFile(train, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { text: string; labels: string[] });
    const random = mulberry32(4);
    const lists = rows.map((r) => r.labels).sort(() => random() - 0.5);
    await writeFile(train, rows.map((r, i) => JSON.stringify({ text: r.text, labels: lists[i] })).join('\n') + '\n');
    const report = await findLabelIssuesInDataset({ dataset: train });
    const r = report.reliability!;
    assert.equal(r.verdict, 'weak', `lift ${r.accuracyLift}, skill ${r.logLossSkill}`);
    assert.ok(r.logLossSkill < reliabilityBar.minLogLossSkill, `skill ${r.logLossSkill}`);
    assert.ok(r.reasons.some((s) => /always answering the most common label set \[/.test(s) || /log loss/.test(s)), r.reasons.join(' | '));
    assert.ok(r.suggestions.some((s) => /pretrained encoder/.test(s)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
