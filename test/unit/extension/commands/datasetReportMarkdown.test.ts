import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetReportMarkdown } from '../../../../src/extension/commands/datasetReportMarkdown';
import type { DatasetReport } from '../../../../src/protocol/dataset';

const histogram = { edges: [0, 10], counts: [3], min: 2, max: 9, mean: 5, p50: 5, p95: 9, p99: 9 };
const report: DatasetReport = {
  file: '/w/data/train.jsonl', bytes: 2048, lines: 5, exampleCount: 3,
  fields: { format: 'fields', textField: 'text', labelField: 'label', detected: true },
  labels: ['joy', '<img src=x onerror=alert(1)>'], labelCounts: [2, 1], textLength: histogram, tokenLength: histogram, tokenLengthSource: 'wordEstimate',
  duplicateTexts: 1, conflictingTexts: 1,
  problems: [
    { kind: 'invalidJson', severity: 'error', file: '/w/data/train.jsonl', line: 4, column: 2, message: 'Not JSON.', hint: 'Fix it.' },
    { kind: 'conflictingLabels', severity: 'warning', file: '/w/data/train.jsonl', line: 5, message: 'Conflict.', hint: 'Pick one.' },
  ],
  problemCounts: [{ kind: 'invalidJson', severity: 'error', count: 7 }, { kind: 'conflictingLabels', severity: 'warning', count: 1 }],
  problemLimitPerKind: 1, siblingFiles: ['/w/data/validation.jsonl'], trainable: false, notTrainableReason: 'Only 3 examples.', elapsedMs: 3,
};

test('the inspect report lists counts, fields, labels with shares and problems with their lines', () => {
  const md = datasetReportMarkdown(report);
  assert.match(md, /^# train\.jsonl\n/);
  assert.match(md, /\*\*Training is refused:\*\* Only 3 examples\.\n/);
  assert.match(md, /\| Examples \| 3 of 5 lines \|/);
  assert.match(md, /\| Fields \| text `text`, label `label` \(detected\) \|/);
  assert.match(md, /\| Text length \(tokens, estimated\) \| median 5, 95th percentile 9, max 9 \|/);
  assert.match(md, /\| joy \| 2 \| 66\.7% \|/);
  assert.match(md, /\| error \| invalidJson \| 7 \| train\.jsonl:4, … \|/, 'the count includes problems left out of the list');
  assert.match(md, /\| Other splits \| validation\.jsonl \|/);
});

test('label names from the data cannot inject Markdown or HTML', () => {
  const md = datasetReportMarkdown(report);
  assert.ok(!md.includes('<img'), md);
  assert.match(md, /&lt;img src=x onerror=alert\\\(1\\\)&gt;/);
});

test('a trainable dataset is "Ready to train." only where training is allowed; Restricted Mode says it is off and why', () => {
  const trainable: DatasetReport = { ...report, trainable: true, notTrainableReason: undefined };
  assert.match(datasetReportMarkdown(trainable), /\*\*Ready to train\.\*\*/);
  const restricted = datasetReportMarkdown(trainable, { trainingAllowed: false });
  assert.doesNotMatch(restricted, /Ready to train/);
  assert.match(restricted, /\*\*Trainable, but training is off in Restricted Mode:\*\* .*not marked as trusted\. Trust the workspace/);
  // A dataset that cannot be trained says why, trusted or not.
  assert.match(datasetReportMarkdown(report, { trainingAllowed: false }), /\*\*Training is refused:\*\* Only 3 examples\./);
});
