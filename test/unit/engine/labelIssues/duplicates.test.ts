// Exact and near duplicates with conflicting labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conflictingDuplicates, findDuplicateGroups, normalizeText } from '../../../../src/engine/labelIssues/duplicates';

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

test('conflictingDuplicates names each member by file and line with its own label, compared by what the caller gives', () => {
  const lines = [
    { file: 'd.jsonl', line: 1, text: 'Late parcel, wrong bill', label: 'delivery, billing' },
    { file: 'd.jsonl', line: 2, text: 'late parcel wrong bill!', label: 'billing, delivery' },
    { file: 'd.jsonl', line: 3, text: 'Reset my password', label: 'login' },
    { file: 'd.jsonl', line: 4, text: 'Reset my password', label: 'billing' },
  ];
  // Compared by the lines' own labels, the list order makes lines 1 and 2 disagree.
  assert.deepEqual(conflictingDuplicates(lines).map((g) => g.members.map((m) => m.line)), [[1, 2], [3, 4]]);
  // Compared by sorted label sets (multi-label), they agree; the members keep their own label as written.
  const bySet = lines.map((l) => ({ text: l.text, label: l.label.split(', ').sort().join(', ') }));
  const groups = conflictingDuplicates(lines, bySet);
  assert.deepEqual(groups, [{
    kind: 'exact', normalizedText: 'reset my password', labels: ['billing', 'login'],
    members: [{ file: 'd.jsonl', line: 3, label: 'login', text: 'Reset my password' }, { file: 'd.jsonl', line: 4, label: 'billing', text: 'Reset my password' }],
  }]);
});
