import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEATURE_SPEC, fnv1a, hashNgramFeatures, tokenizeWords } from '../../../../../src/engine/models/ngram/ngramFeatures';

test('fnv1a matches the published 32-bit FNV-1a test vectors', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
});

test('words: lower-cased, punctuation splits, inner apostrophes kept', () => {
  assert.deepEqual(tokenizeWords("I didn't get it -- Order #123, ÉTÉ!", DEFAULT_FEATURE_SPEC), ["i", "didn't", 'get', 'it', 'order', '123', 'été']);
});

test('features: word, character n-grams sharing half the weight, bigrams at phrase weight', () => {
  const spec = { ...DEFAULT_FEATURE_SPEC, charMin: 3, charMax: 3, wordNgrams: 2, phraseWeight: 0.25, charShare: 0.5, buckets: 1 << 30 };
  const f = hashNgramFeatures('ab cd', spec);
  // "ab": word + "<ab" + "ab>" ; bigram "ab cd" ; "cd": word + "<cd" + "cd>".
  assert.equal(f.ids.length, 7);
  assert.deepEqual(Array.from(f.weights), [0.5, 0.25, 0.25, 0.25, 0.5, 0.25, 0.25]);
  assert.equal(f.ids[0], fnv1a('w ab') % spec.buckets);
  assert.equal(f.ids[1], fnv1a('c <ab') % spec.buckets);
  assert.equal(f.ids[3], fnv1a('w ab cd') % spec.buckets);
  assert.deepEqual(hashNgramFeatures('ab cd', spec), f, 'deterministic');
});

test('a one-letter word has no character n-grams and keeps its full weight', () => {
  const spec = { ...DEFAULT_FEATURE_SPEC, charMin: 3, charMax: 5, wordNgrams: 1 };
  const f = hashNgramFeatures('a', spec);
  assert.equal(f.ids.length, 1);
  assert.equal(f.weights[0], 1);
  assert.equal(hashNgramFeatures('  ...  ', spec).ids.length, 0);
});
