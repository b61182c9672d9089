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
