// Exact and near duplicates with conflicting labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateGroups, normalizeText } from '../../../../src/engine/labelIssues/duplicates';

const examples = [
  { text: 'i feel great', label: 'joy' },
  { text: 'I feel great!!', label: 'love' },
  { text: 'so sad today', label: 'sadness' },
  { text: 'so sad today', label: 'sadness' },
  { text: 'angry now', label: 'anger' },
  { text: 'angry now', label: 'fear' },
  { text: 'i feel great', label: 'joy' },
  { text: '   ', label: 'joy' },
  { text: '!!!', label: 'fear' },
];

test('normalizeText folds case, punctuation, width and spacing but keeps words', () => {
  assert.equal(normalizeText('  I   feel\tGREAT!! '), 'i feel great');
  assert.equal(normalizeText('ＡＢＣ'), 'abc');
  assert.notEqual(normalizeText('i feel great'), normalizeText('i feel grate'));
});

test('groups conflicting duplicates, exact and near, and skips consistent ones by default', () => {
  const groups = findDuplicateGroups(examples);
  assert.deepEqual(groups, [
    { kind: 'near', normalizedText: 'i feel great', indices: [0, 1, 6], labels: ['joy', 'love'], conflicting: true },
    { kind: 'exact', normalizedText: 'angry now', indices: [4, 5], labels: ['anger', 'fear'], conflicting: true },
  ]);
});

test('includeConsistent also returns same-label groups, after the conflicting ones; empty texts never group', () => {
  const groups = findDuplicateGroups(examples, { includeConsistent: true });
  assert.deepEqual(groups.map((g) => [g.kind, g.indices, g.conflicting]), [
    ['near', [0, 1, 6], true],
    ['exact', [4, 5], true],
    ['exact', [2, 3], false],
  ]);
});
