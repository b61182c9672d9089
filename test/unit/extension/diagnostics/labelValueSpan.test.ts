// The relabel fix changes only the label value: everything else in the line is preserved byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLabelValueSpan, relabelLine } from '../../../../src/extension/diagnostics/labelValueSpan';

/** Asserts `after` equals `before` outside the label value, and the value now decodes to `label`. */
function assertOnlyLabelChanged(before: string, after: string, label: string, field = 'label') {
  const span = findLabelValueSpan(before, field)!;
  const newSpan = findLabelValueSpan(after, field)!;
  assert.equal(after.slice(0, span.start), before.slice(0, span.start), 'prefix preserved');
  assert.equal(after.slice(newSpan.end), before.slice(span.end), 'suffix preserved');
  assert.equal(Buffer.from(after.slice(0, newSpan.start)).equals(Buffer.from(before.slice(0, span.start))), true, 'prefix bytes preserved');
  assert.equal(Buffer.from(after.slice(newSpan.end)).equals(Buffer.from(before.slice(span.end))), true, 'suffix bytes preserved');
  assert.equal(JSON.parse(after)[field], label);
}

test('keeps key order, odd spacing and unicode escapes elsewhere byte for byte', () => {
  const line = '{ "label" :  "love" ,"text":"caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" label: \\"love\\"",   "meta": {"label": "x", "n": [1, 2.5e3, null]}}  ';
  const after = relabelLine(line, 'joy')!;
  assert.equal(after, '{ "label" :  "joy" ,"text":"caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" label: \\"love\\"",   "meta": {"label": "x", "n": [1, 2.5e3, null]}}  ');
  assertOnlyLabelChanged(line, after, 'joy');
});

test('finds the top-level label after nested objects that contain the same key', () => {
  const line = '{"meta":{"label":"inner"},"text":"i am sad","label":"fear"}';
  const span = findLabelValueSpan(line)!;
  assert.equal(span.raw, '"fear"');
  assert.equal(line.slice(span.start, span.end), '"fear"');
  assertOnlyLabelChanged(line, relabelLine(line, 'sadness')!, 'sadness');
});

test('handles non-ASCII text before the label (UTF-16 offsets, as VS Code positions count)', () => {
  const line = '{"text":"😀 très content 🎉","label":"anger"}';
  const after = relabelLine(line, 'joy')!;
  assert.equal(after, '{"text":"😀 très content 🎉","label":"joy"}');
});

test('an escaped label value is replaced whole; a new label with quotes is escaped', () => {
  const line = '{"text":"x","label":"l\\u006fve"}';
  assert.equal(relabelLine(line, 'say "hi"'), '{"text":"x","label":"say \\"hi\\""}');
});

test('integer labels stay integers; other fields and chat lines are supported', () => {
  assert.equal(relabelLine('{"text":"x","label": 3}', '5'), '{"text":"x","label": 5}');
  assert.equal(relabelLine('{"text":"x","label": 3}', 'joy'), '{"text":"x","label": "joy"}');
  assert.equal(relabelLine('{"intent":"card_lost","text":"x"}', 'card_arrival'), '{"intent":"card_arrival","text":"x"}');
  assert.equal(relabelLine('{"sentence":"x","category":"a"}', 'b', 'category'), '{"sentence":"x","category":"b"}');
  const chat = '{"messages":[{"role":"system","content":"classify"},{"role":"user","content":"i am sad"},{"role":"assistant", "content":"joy"}]}';
  assert.equal(relabelLine(chat, 'sadness'), '{"messages":[{"role":"system","content":"classify"},{"role":"user","content":"i am sad"},{"role":"assistant", "content":"sadness"}]}');
});

test('lines that are not a JSON object with a label give undefined', () => {
  for (const line of ['', 'not json', '[1,2]', '{"text":"x"}', '{"text":"x","label":"a"', '{"text":"x","label":"a"} trailing']) {
    assert.equal(findLabelValueSpan(line), undefined, line);
  }
});
