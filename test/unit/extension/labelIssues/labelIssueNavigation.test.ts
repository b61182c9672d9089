import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepLabelIssue } from '../../../../src/extension/labelIssues/labelIssueNavigation';

// The list order is the ranked review queue, not file order.
const items = [{ subject: { file: '/d/b.jsonl', line: 9 } }, { subject: { file: '/d/a.jsonl', line: 3 } }, { subject: { file: '/d/a.jsonl', line: 1 } }];

test('from nowhere: next opens the first issue of the list, previous the last', () => {
  assert.equal(stepLabelIssue(items, 1), items[0]);
  assert.equal(stepLabelIssue(items, -1), items[2]);
  assert.equal(stepLabelIssue([], 1), undefined);
});

test('from the issue under the cursor, in list order, wrapping at both ends', () => {
  assert.equal(stepLabelIssue(items, 1, { file: '/d/a.jsonl', line: 3 }), items[2]);
  assert.equal(stepLabelIssue(items, -1, { file: '/d/a.jsonl', line: 3 }), items[0]);
  assert.equal(stepLabelIssue(items, 1, { file: '/d/a.jsonl', line: 1 }), items[0]);
  assert.equal(stepLabelIssue(items, -1, { file: '/d/b.jsonl', line: 9 }), items[2]);
});

test('a cursor on no issue continues from the issue opened last', () => {
  assert.equal(stepLabelIssue(items, 1, { file: '/d/a.jsonl', line: 2 }, { file: '/d/b.jsonl', line: 9 }), items[1]);
  assert.equal(stepLabelIssue(items, 1, { file: '/d/other.jsonl', line: 3 }), items[0], 'same line in another file is not the issue');
});
