// Issue 17, kind 7: a label cannot leave its code span or the chart's code block in the prediction hover (where a
// line break and a fence would turn the rest into live Markdown: a remote image, a link).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPredictionMarkdown } from '../../../../src/extension/hover/hoverMarkdown';

test('hostile labels stay inside their code span and the chart block', () => {
  const evil = 'joy\n```\n![x](https://evil.example/t.png)\n`';
  const other = 'anger\r\u001b]8;;https://evil.example\u0007';
  const markdown = renderPredictionMarkdown({
    prediction: { label: evil, confidence: 0.9, top: [{ label: evil, probability: 0.9 }, { label: other, probability: 0.1 }], probabilities: [0.9, 0.1] },
    threshold: 0.5, givenLabel: other, topK: 2, modelName: 'm', labels: [evil, other],
  });
  const lines = markdown.split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('```')), ['```text', '```'], 'one fenced block, opened and closed by the renderer');
  const outsideBlock = lines.slice(0, lines.indexOf('```text')).join('\n');
  for (const line of outsideBlock.split('\n')) {
    assert.equal((line.match(/`/g) ?? []).length % 2, 0, `balanced code spans: ${line}`);
    assert.doesNotMatch(line.replace(/`[^`]*`/g, ''), /!\[|\]\(/, `no image or link outside code: ${line}`);
  }
  assert.doesNotMatch(markdown, /[\u0000-\u0009\u000b-\u001f]/, 'no control characters');
});

test('a multi-label hover lists every label above its threshold, what the model misses and adds, and every probability', () => {
  const labels = ['anger', 'joy', 'sadness', 'surprise'];
  const probabilities = [0.05, 0.8, 0.55, 0.3];
  const thresholds = [0.5, 0.4, 0.5, 0.35];
  const markdown = renderPredictionMarkdown({
    prediction: { label: 'joy, sadness', labels: ['joy', 'sadness'], thresholds, confidence: 0.8, top: [{ label: 'joy', probability: 0.8 }], probabilities },
    threshold: 0.5, givenLabel: 'joy, surprise', givenLabels: ['joy', 'surprise'], topK: 1, modelName: 'm', labels,
  });
  assert.match(markdown, /\*\*Predicted labels:\*\* `joy`, `sadness`/);
  assert.match(markdown, /\*\*Given labels:\*\* `joy`, `surprise` — \$\(warning\) model misses `surprise` \(30\.0%\); adds `sadness` \(55\.0%\)/);
  const chart = markdown.split('```text\n')[1]!.split('\n```')[0]!.split('\n');
  assert.equal(chart.length, 4, 'every label, not just the top-k');
  assert.match(chart[0]!, /^✓ joy .* 80\.0% {2}\(threshold 40\.0%\)$/);
  assert.match(chart[1]!, /^✓ sadness .* 55\.0% {2}\(threshold 50\.0%\)$/);
  assert.match(chart[2]!, /^ {2}surprise .* 30\.0% {2}\(threshold 35\.0%\)$/);
  const agreeing = renderPredictionMarkdown({
    prediction: { label: 'NONE', labels: [], thresholds, confidence: 0.3, top: [], probabilities: [0.1, 0.1, 0.1, 0.1] },
    threshold: 0.5, givenLabels: [], topK: 1, modelName: 'm', labels,
  });
  assert.match(agreeing, /\*\*Predicted labels:\*\* none of the labels/);
  assert.match(agreeing, /\*\*Given labels:\*\* \(none\) — \$\(check\) model agrees/);
});
