import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketRowTable } from '../../../../../src/engine/models/ngram/bucketRowTable';

test('the bucket table agrees with a Map through growth and collisions', () => {
  const table = new BucketRowTable(4);
  const reference = new Map<number, number>();
  let x = 12345;
  for (let i = 0; i < 5000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    const bucket = i % 3 === 0 ? i * 1024 : x % 100000; // multiples of 1024 collide in a plain modulo hash
    table.set(bucket, i);
    reference.set(bucket, i);
  }
  assert.equal(table.size, reference.size);
  for (const [bucket, row] of reference) assert.equal(table.get(bucket), row);
  assert.equal(table.get(2 ** 31 - 1), -1);
});
