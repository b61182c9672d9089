import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSameOrInside } from '../../../src/common/isSameOrInside';

test('a path is inside a folder only below it, not beside it with a longer or dotted name', () => {
  assert.equal(isSameOrInside('/runs/a', '/runs/a'), true);
  assert.equal(isSameOrInside('/runs/a/checkpoints/best', '/runs/a/'), true);
  assert.equal(isSameOrInside('/runs/a-longer', '/runs/a'), false);
  assert.equal(isSameOrInside('/runs', '/runs/a'), false);
  assert.equal(isSameOrInside('/runs/a/..b/model', '/runs/a'), true, 'a child folder whose name starts with two dots');
  assert.equal(isSameOrInside('/runs/b/../a/model', '/runs/a'), true, 'resolved first');
});
