import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../../../src/engine/report/renderReport';
import { computeMetrics } from '../../../../src/engine/metrics/classificationMetrics';
import type { RunRecord } from '../../../../src/common/runFolder/runRecord';
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
  assert.match(md, /labels: a \(1\), b \(2\)/, 'training counts per label');
  assert.match(md, /1,234 parameters/);
  assert.match(md, /\| \*\*a\*\* \| 1 \| 1 \|/, 'confusion row of a');
  assert.match(md, /- a predicted as b: 1 \(50\.0% of a\)/);
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

// Issue 17, kind 7: labels and texts from the data cannot put live HTML, images, links or terminal escapes into
// report.md, nor break its tables.
test('hostile labels and texts are inert in report.md (HTML, images, links, escapes, pipes and CRs)', () => {
  const labels = ['<script>alert(1)</script>', '![x](https://evil.example/t.png)|x'];
  const ex = (text: string, label: string, line: number) => ({ text, label, file: '/data/te|st\r.jsonl', line });
  const texts = ['<img src=x onerror=alert(1)>', 'cr\rbreaks | the \u001b]8;;https://evil.example\u0007row\u001b[2J', '[click](javascript:alert(1)) www.evil.example'];
  const test = texts.map((t, i) => ex(t, labels[i % 2]!, i + 1));
  const data: DatasetSplits = { train: [ex('t', labels[0]!, 1), ex('u', labels[1]!, 2)], validation: [], test, labels, splitSource: { kind: 'siblings', files: {} }, fingerprint: 'f' };
  // Every prediction wrong, so every text is in the errors table.
  const testProbs = Float32Array.from([0.1, 0.9, 0.9, 0.1, 0.1, 0.9]);
  const record = {
    runId: 'r3', state: 'completed', config: { dataset: '/data/`<b>x</b>`.jsonl', model: '<iframe>', mode: 'full', epochs: 1, patience: 2, lora: { note: '| <i>' } }, labels, backend: 'js',
    dataset: { skippedLines: '1 line skipped: "<svg onload=alert(1)>"' }, model: { kind: 'bert', source: '![m](http://evil.example/m.png)', mode: 'full', parameters: 1, trainableParameters: 1, backend: 'js', backendNote: '<b>n</b>' },
    createdAt: '', updatedAt: '', progress: { epoch: 1, step: 0, stepsPerEpoch: 1, epochs: 1 }, best: null, test: null,
  } as unknown as RunRecord;
  const md = renderReport({
    record, data, validationProbs: new Float32Array(0), testProbs,
    metrics: { baseline: null, baselineTest: null, best: null, bestEpoch: 1, test: computeMetrics([0, 1, 0], testProbs, labels, 'test'), stoppedEarly: false, epochs: [] },
  });
  assert.doesNotMatch(md, /<(script|img|svg|iframe|b|i)\b/i, 'no HTML tag survives');
  assert.doesNotMatch(md, /(^|[^\\])!\[/m, 'no image syntax');
  assert.doesNotMatch(md, /(^|[^\\])\]\(/m, 'no link syntax');
  assert.doesNotMatch(md, /https?:\/\/|www\.e/, 'no bare URL that a renderer links');
  assert.doesNotMatch(md, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, 'no control character but newlines (a CR or ESC reaching a terminal on cat)');
  assert.match(md, /\\u001b\\\]8;;/, 'the escape is shown, not acted on');
  // Every row of the two tables with data keeps its column count: unescaped pipes only between cells.
  const cells = (line: string) => line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
  const rows = md.split('\n');
  const errorsAt = rows.findIndex((l) => l.startsWith('| confidence |'));
  for (const row of rows.slice(errorsAt, errorsAt + 2 + texts.length)) assert.equal(cells(row), 7, row);
  const confusionAt = rows.findIndex((l) => l.startsWith('| gold \\ predicted'));
  for (const row of rows.slice(confusionAt, confusionAt + 2 + labels.length)) assert.equal(cells(row), 5, row);
});
