import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../../../src/engine/report/renderReport';
import { computeMetrics } from '../../../../src/engine/metrics/classificationMetrics';
import type { RunRecord } from '../../../../src/engine/runs/runRecord';
import type { DatasetSplits } from '../../../../src/engine/data/example';

test('the report lists confusions and the most confident errors first, with table-safe text', () => {
  const labels = ['a', 'b'];
  const ex = (text: string, label: string, line: number) => ({ text, label, file: '/data/test.jsonl', line });
  const test = [ex('fine | really', 'a', 1), ex('sure | wrong', 'a', 2), ex('unsure wrong\nsecond line', 'b', 3), ex('right', 'b', 4)];
  const data: DatasetSplits = { train: [ex('t', 'a', 1), ex('u', 'b', 2), ex('v', 'b', 3)], validation: [], test, labels, splitSource: { kind: 'siblings', files: {} }, fingerprint: 'f' };
  const testProbs = Float32Array.from([0.9, 0.1, 0.05, 0.95, 0.6, 0.4, 0.2, 0.8]);
  const testMetrics = computeMetrics([0, 0, 1, 1], testProbs, labels, 'test');
  const record = {
    runId: 'r1', state: 'completed', config: { dataset: '/data/train.jsonl', model: 'ngram', mode: 'full', epochs: 1, patience: 2 }, labels, backend: 'js',
    dataset: null, model: { kind: 'ngram', source: 'ngram', mode: 'full', parameters: 1234, trainableParameters: 1234, backend: 'js' },
    createdAt: '', updatedAt: '', progress: { epoch: 1, step: 0, stepsPerEpoch: 1, epochs: 1 }, best: null, test: null,
  } as unknown as RunRecord;
  const md = renderReport({
    record, data, validationProbs: new Float32Array(0), testProbs,
    metrics: { baseline: null, baselineTest: null, best: null, bestEpoch: 1, test: testMetrics, stoppedEarly: false, epochs: [] },
  });
  assert.match(md, /`a` \(1\), `b` \(2\)/, 'training counts per label');
  assert.match(md, /1,234 parameters/);
  assert.match(md, /\| \*\*a\*\* \| 1 \| 1 \|/, 'confusion row of a');
  assert.match(md, /- `a` predicted as `b`: 1 \(50\.0% of `a`\)/);
  const errors = md.slice(md.indexOf('## Most confident errors'));
  assert.ok(errors.indexOf('sure \\| wrong') < errors.indexOf('unsure wrong second line'), 'most confident first, newline flattened');
  assert.ok(errors.includes('| 95.0% | a | b | sure \\| wrong | test.jsonl:2 |'), 'the pipe in the text is escaped');
  assert.ok(!errors.includes('fine'), 'correct predictions are not errors');
});

test('the report states the macro convention and shows a class absent from the test file as n/a', () => {
  const labels = ['a', 'b', 'c'];
  const ex = (text: string, label: string, line: number) => ({ text, label, file: '/data/test.jsonl', line });
  const test = [ex('x', 'a', 1), ex('y', 'c', 2)];
  const data: DatasetSplits = { train: [ex('t', 'a', 1), ex('u', 'b', 2), ex('v', 'c', 3)], validation: [], test, labels, splitSource: { kind: 'siblings', files: {} }, fingerprint: 'f' };
  const testProbs = Float32Array.from([0.9, 0.05, 0.05, 0.05, 0.05, 0.9]);
  const record = {
    runId: 'r2', state: 'completed', config: { dataset: '/data/train.jsonl', model: 'ngram', mode: 'full', epochs: 1, patience: 2 }, labels, backend: 'js',
    dataset: null, model: null, createdAt: '', updatedAt: '', progress: { epoch: 1, step: 0, stepsPerEpoch: 1, epochs: 1 }, best: null, test: null,
  } as unknown as RunRecord;
  const md = renderReport({
    record, data, validationProbs: new Float32Array(0), testProbs,
    metrics: { baseline: null, baselineTest: null, best: null, bestEpoch: 1, test: computeMetrics([0, 2], testProbs, labels, 'test'), stoppedEarly: false, epochs: [] },
  });
  assert.match(md, /\| final \(test\) +\| +100\.0% \| +100\.0% \|/, 'macro F1 over the two classes present');
  assert.match(md, /Macro averages are over the classes present in the truth or the predictions/);
  assert.match(md, /\| b \| n\/a \| n\/a \| n\/a \| 0 \|/);
  assert.match(md, /\| a \| 100\.0% \| 100\.0% \| 100\.0% \| 1 \|/);
});
