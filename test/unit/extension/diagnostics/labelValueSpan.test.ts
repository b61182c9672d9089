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

// Issue 17, kind 8: the fix edits exactly the value the engine took the label from (the engine's own extraction,
// `extractExample`, reads the edited line back) and nothing else.
import { extractExample } from '../../../../src/engine/data/extractExample';
import type { DatasetFieldMapping } from '../../../../src/protocol/dataset';

const chatMapping: DatasetFieldMapping = { format: 'chat', detected: true };

function engineLabel(line: string, mapping: DatasetFieldMapping): string {
  const extracted = extractExample(JSON.parse(line) as Record<string, unknown>, mapping);
  assert.ok(extracted.ok, JSON.stringify(extracted));
  return extracted.label;
}

/** Relabels by `mapping` and checks the engine now reads `label`, and every other value of the line is unchanged. */
function assertEngineReadsNewLabel(line: string, mapping: DatasetFieldMapping, label: string): string {
  const after = relabelLine(line, label, mapping);
  assert.ok(after !== undefined, `a fix is offered for ${line}`);
  assert.equal(engineLabel(after, mapping), label);
  // Put the old label back by the same rule: the rest of the line must be what it was, byte for byte.
  assert.equal(relabelLine(after, engineLabel(line, mapping), mapping), line);
  return after;
}

test('a chat line with a top-level category: the fix edits the assistant reply the engine labels by, not category (the reproducer)', () => {
  const line = '{"category":"billing","messages":[{"role":"user","content":"my card was charged"},{"role":"assistant","content":"joy"}]}';
  const after = assertEngineReadsNewLabel(line, chatMapping, 'anger');
  assert.equal((JSON.parse(after) as { category: string }).category, 'billing');
  // Variant: detected on the line (an older report without the mapping) — the same answer.
  assert.equal(relabelLine(line, 'anger'), after);
  // And when the engine read the file by fields with category as the label, category is what changes.
  const byCategory: DatasetFieldMapping = { format: 'fields', textField: 'text', labelField: 'category', detected: true };
  const line2 = '{"text":"x","category":"billing","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"joy"}]}';
  assert.equal((JSON.parse(assertEngineReadsNewLabel(line2, byCategory, 'refund')) as { messages: Array<{ content: string }> }).messages[1]!.content, 'joy');
});

test('escaped keys and duplicate keys: the fix edits the value JSON.parse (and so the engine) reads', () => {
  // The escaped role marks the last assistant message: that one holds the label, not the earlier plain one.
  const escapedRole = '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"joy"},{"role":"user","content":"and now?"},{"role":"assist\\u0061nt","content":"anger"}]}';
  const a = assertEngineReadsNewLabel(escapedRole, chatMapping, 'fear');
  assert.equal((JSON.parse(a) as { messages: Array<{ content: string }> }).messages[1]!.content, 'joy');
  // An escaped key name of the content field, and a duplicate content key (the last one counts).
  assertEngineReadsNewLabel('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","c\\u006fntent":"joy"}]}', chatMapping, 'fear');
  const duplicate = assertEngineReadsNewLabel('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"joy","content":"anger"}]}', chatMapping, 'fear');
  assert.match(duplicate, /"content":"joy","content":"fear"/);
  // A duplicate escaped top-level key: the second "messages" is the one JSON.parse keeps.
  const twoLists = '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"x"}],"mess\\u0061ges":[{"role":"user","content":"b"},{"role":"assistant","content":"joy"}]}';
  assert.match(assertEngineReadsNewLabel(twoLists, chatMapping, 'fear'), /"content":"x"\}\],"mess\\u0061ges"/);
  // Fields format: an escaped duplicate label key.
  const fields: DatasetFieldMapping = { format: 'fields', textField: 'text', labelField: 'label', detected: true };
  assert.match(assertEngineReadsNewLabel('{"text":"a","label":"x","l\\u0061bel":"y"}', fields, 'z'), /"label":"x","l\\u0061bel":"z"/);
});

test('no fix when the engine would find no label on the line', () => {
  assert.equal(relabelLine('{"category":"billing","messages":[{"role":"user","content":"hi"}]}', 'joy', chatMapping), undefined, 'no assistant reply: not category instead');
  assert.equal(relabelLine('{"text":"a","labels":"x"}', 'joy', { format: 'fields', textField: 'text', labelField: 'label', detected: true }), undefined);
});
