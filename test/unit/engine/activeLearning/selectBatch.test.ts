// Batch selection: uncertain first, no near-duplicates in one batch, exact duplicates dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kCenterGreedy, selectBatch } from '../../../../src/engine/activeLearning/selectBatch';
import { cosineSimilarity, tfidfVectors } from '../../../../src/engine/activeLearning/textVectors';

const texts = [
  'the delivery was late again and nobody called me', // 0
  'The delivery was late again and nobody called me!', // 1: the same words as 0
  'the delivery was late again and no one called me', // 2: near-duplicate of 0
  'my invoice shows the wrong amount', // 3
  'how do i reset my password', // 4
  'great service, thank you', // 5
];

test('TF-IDF vectors are unit length and near-duplicates are far more similar than unrelated texts', () => {
  const v = tfidfVectors(texts);
  for (const x of v) assert.ok(Math.abs(x.weights.reduce((s, w) => s + w * w, 0) - 1) < 1e-5);
  assert.ok(cosineSimilarity(v[0]!, v[2]!) > 0.6, `near-duplicates: ${cosineSimilarity(v[0]!, v[2]!)}`);
  assert.ok(cosineSimilarity(v[0]!, v[4]!) < 0.1);
  assert.deepEqual(tfidfVectors(['', '!!!']).map((x) => x.ids.length), [0, 0]);
});

test('the most uncertain text comes first, and its near-duplicates are not in the same batch', () => {
  // The three delivery texts are the most uncertain; a pure uncertainty ranking would take all three.
  const uncertainty = [0.99, 0.98, 0.97, 0.5, 0.4, 0.3];
  const picked = selectBatch(texts, uncertainty, 3);
  assert.equal(picked[0], 0);
  assert.equal(picked.filter((i) => i <= 2).length, 1, `picked ${picked}`);
  assert.equal(new Set(picked).size, 3);
  // candidateFactor 1 = uncertainty only: the top three, duplicates included (the baseline the default improves on).
  assert.deepEqual(selectBatch(texts, uncertainty, 3, { candidateFactor: 1 }).sort(), [0, 1, 2]);
});

test('texts equal after trimming, spacing and case count once; the more uncertain copy is kept', () => {
  const pool = ['Refund please', 'refund   please ', 'where is my parcel'];
  assert.deepEqual(selectBatch(pool, [0.2, 0.9, 0.5], 3), [1, 2]);
});

test('the cluster variant also keeps near-duplicates apart', () => {
  const uncertainty = [0.99, 0.98, 0.97, 0.5, 0.4, 0.3];
  const picked = selectBatch(texts, uncertainty, 3, { diversity: 'cluster' });
  assert.equal(picked.length, 3);
  assert.ok(picked.filter((i) => i <= 2).length <= 1, `picked ${picked}`);
});

test('k-center greedy picks the farthest point next', () => {
  const v = tfidfVectors(['a b c', 'a b d', 'x y z']);
  assert.deepEqual(kCenterGreedy(v, 2), [0, 2]);
  assert.deepEqual(kCenterGreedy(v, 5).length, 3);
});

test('bad batch sizes and options are refused', () => {
  assert.throws(() => selectBatch(texts, [1, 1, 1, 1, 1, 1], 0), /whole number/);
  assert.throws(() => selectBatch(texts, [1, 1, 1, 1, 1, 1], 2.5), /whole number/);
  assert.throws(() => selectBatch(texts, [1, 1], 2), /2 scores for 6 texts/);
  assert.throws(() => selectBatch(texts, [1, 1, 1, 1, 1, 1], 2, { candidateFactor: 0.5 }), /candidateFactor/);
});
