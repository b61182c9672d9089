// Feature extraction's cache: each distinct text is encoded once, a second run on the same encoder and data
// reuses every vector, and anything that changes the vectors (weights outside the head, max length) opens
// another cache; the trained head's weights do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureCache, textKey } from '../../../../../src/engine/models/nn/featureCache';
import { ParamStore, layoutParams } from '../../../../../src/engine/models/nn/paramStore';

const encoder = () => {
  const store = new ParamStore(layoutParams([{ name: 'embeddings.weight', shape: [2, 2] }, { name: 'classifier.weight', shape: [2, 2] }]));
  store.data.set([1, 2, 3, 4, 5, 6, 7, 8]);
  return { configRaw: { hidden_size: 2 }, store, dim: 2 };
};
/** A stand-in encoder: the vector of a text is [its length, its first char code]. */
const encode = (texts: readonly string[]) => (indices: number[]) => new Float32Array(indices.flatMap((i) => [texts[i]!.length, texts[i]!.charCodeAt(0)]));

test('vectors come back in text order, each distinct text computed once, and a reopened cache reuses them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-feature-cache-'));
  try {
    const texts = ['bb', 'a', 'bb', 'ccc'];
    const place = { dataset: join(dir, 'train.jsonl') };
    const keys = texts.map(textKey);
    const cache = await FeatureCache.forEncoder(encoder(), 64, keys, place);
    assert.equal(cache.file.startsWith(join(dir, '.classifier-workbench', 'cache', 'features')), true);
    const asked: number[][] = [];
    const vectors = await cache.vectorsFor(texts, (indices) => (asked.push(indices), encode(texts)(indices)));
    assert.deepEqual(asked, [[0, 1, 3]], 'the repeated text is computed once');
    assert.deepEqual([...vectors], [2, 98, 1, 97, 2, 98, 3, 99]);
    assert.deepEqual([cache.hits, cache.computed], [0, 3]);
    assert.deepEqual([...cache.rows([keys[3]!, keys[1]!])], [3, 99, 1, 97]);

    const again = await FeatureCache.forEncoder(encoder(), 64, keys, place);
    const more = await again.vectorsFor(texts, () => assert.fail('nothing to compute'));
    assert.deepEqual([...more], [...vectors]);
    assert.deepEqual([again.hits, again.computed], [4, 0]);

    const retrainedHead = encoder();
    retrainedHead.store.data.set([0, 0, 0, 0], 4);
    assert.equal((await FeatureCache.forEncoder(retrainedHead, 64, keys, place)).file, cache.file, 'the head is not part of the key');
    const otherWeights = encoder();
    otherWeights.store.data[0] = 9;
    assert.notEqual((await FeatureCache.forEncoder(otherWeights, 64, keys, place)).file, cache.file);
    assert.notEqual((await FeatureCache.forEncoder(encoder(), 128, keys, place)).file, cache.file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
