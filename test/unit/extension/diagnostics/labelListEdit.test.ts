// The multi-label quick fix adds or removes one label in the line's label list: only that JSON array is rewritten
// (other items keep their source text, the list its separator), and only when the result reads back as intended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelListEdit, type LabelListChange } from '../../../../src/extension/diagnostics/labelValueSpan';
import type { DatasetFieldMapping } from '../../../../src/protocol/dataset';

/** The line after applying the edit, asserting everything outside the list is byte for byte the same. */
function apply(line: string, change: LabelListChange, source?: string | DatasetFieldMapping): string | undefined {
  const edit = labelListEdit(line, change, source);
  if (!edit) return undefined;
  const after = line.slice(0, edit.start) + edit.text + line.slice(edit.end);
  assert.ok(line.slice(edit.start, edit.end).startsWith('[') && line.slice(edit.start, edit.end).endsWith(']'), 'the span is the list');
  assert.equal(after.slice(0, edit.start), line.slice(0, edit.start));
  assert.equal(after.slice(edit.start + edit.text.length), line.slice(edit.end));
  return after;
}

test('adds a missing label at the end, keeping the list separator and the other items as written', () => {
  assert.equal(apply('{"text": "so happy and mad", "labels": ["anger"]}', { action: 'add', label: 'joy' }), '{"text": "so happy and mad", "labels": ["anger", "joy"]}');
  assert.equal(apply('{"labels":["a","b"],"text":"x"}', { action: 'add', label: 'c' }), '{"labels":["a","b","c"],"text":"x"}');
  assert.equal(apply('{"labels": [ "caf\\u00e9" ,  "b" ], "text":"x"}', { action: 'add', label: 'say "hi"' }), '{"labels": ["caf\\u00e9" ,  "b" ,  "say \\"hi\\""], "text":"x"}');
  // An empty list ("none of these") gains its first label.
  assert.equal(apply('{"text":"meh","labels":[]}', { action: 'add', label: 'neutral' }), '{"text":"meh","labels":["neutral"]}');
});

test('removes a wrongly given label, and the last one leaves an empty list', () => {
  assert.equal(apply('{"text":"x","labels":["anger", "joy", "love"]}', { action: 'remove', label: 'joy' }), '{"text":"x","labels":["anger", "love"]}');
  assert.equal(apply('{"text":"x","labels":["anger"]}', { action: 'remove', label: 'anger' }), '{"text":"x","labels":[]}');
  assert.equal(apply('{"text":"x","labels":["l\\u006fve","joy"]}', { action: 'remove', label: 'love' }), '{"text":"x","labels":["joy"]}');
});

test('integer-id lists stay integer lists; a name is never written into one', () => {
  assert.equal(apply('{"text":"x","labels":[3, 7]}', { action: 'add', label: '12' }), '{"text":"x","labels":[3, 7, 12]}');
  assert.equal(apply('{"text":"x","labels":[3, 7]}', { action: 'remove', label: '3' }), '{"text":"x","labels":[7]}');
  assert.equal(apply('{"text":"x","labels":[3, 7]}', { action: 'add', label: 'joy' }), undefined);
});

test('edits the list the engine reads: the named field, the last of duplicate keys, not a nested one', () => {
  assert.equal(apply('{"labels":["x"],"text":"t","tags":["a"]}', { action: 'add', label: 'b' }, 'tags'), '{"labels":["x"],"text":"t","tags":["a", "b"]}');
  assert.equal(apply('{"labels":["old"],"text":"t","labels":["a"]}', { action: 'add', label: 'b' }), '{"labels":["old"],"text":"t","labels":["a", "b"]}');
  assert.equal(apply('{"meta":{"labels":["n"]},"text":"t","labels":["a"]}', { action: 'remove', label: 'a' }), '{"meta":{"labels":["n"]},"text":"t","labels":[]}');
  const mapping: DatasetFieldMapping = { format: 'fields', textField: 'body', labelField: 'topics', detected: true };
  assert.equal(apply('{"body":"t","topics":["a"],"labels":["z"]}', { action: 'remove', label: 'a' }, mapping), '{"body":"t","topics":[],"labels":["z"]}');
});

test('refuses no-ops and lines that have no label list', () => {
  for (const [line, change] of [
    ['{"text":"x","labels":["joy"]}', { action: 'add', label: 'joy' }],
    ['{"text":"x","labels":["joy"]}', { action: 'remove', label: 'anger' }],
    ['{"text":"x","label":"joy"}', { action: 'add', label: 'anger' }],
    ['{"text":"x","labels":[{"name":"joy"}]}', { action: 'add', label: 'anger' }],
    ['{"text":"x","labels":["joy"]', { action: 'add', label: 'anger' }],
    ['["joy"]', { action: 'add', label: 'anger' }],
    ['{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"joy"}]}', { action: 'add', label: 'anger' }],
  ] as Array<[string, LabelListChange]>) assert.equal(labelListEdit(line, change), undefined, line);
});
