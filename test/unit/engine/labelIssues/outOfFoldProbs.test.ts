// Out-of-fold probabilities: stratified seeded folds, and no model ever judges an example it trained on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeOutOfFoldProbs, type FoldClassifierFactory } from '../../../../src/engine/labelIssues/outOfFoldProbs';
import { assignStratifiedFolds } from '../../../../src/engine/labelIssues/stratifiedFolds';
import type { Example } from '../../../../src/engine/data/example';
import type { TrainableClassifier } from '../../../../src/engine/classifier/trainableClassifier';
import { EngineError } from '../../../../src/engine/errors';

const labels = ['a', 'b', 'c'];
const dataset = {
  labels,
  train: Array.from({ length: 30 }, (_, i): Example => ({ text: `text ${i}`, label: labels[i % 3], file: '/d.jsonl', line: i + 1 })),
};

/**
 * A memoriser: one-hot on the label of any text it trained on (what a leaking fold would return), uniform otherwise.
 * Records how it was used so the test can check the fold boundaries.
 */
function memoriserFactory(log: { trained: Set<string>[]; disposed: number }): FoldClassifierFactory {
  return async (labelMap) => {
    const seen = new Map<string, string>();
    log.trained.push(new Set());
    const mine = log.trained[log.trained.length - 1];
    const classifier: TrainableClassifier = {
      labels: labelMap,
      describe: () => ({ kind: 'fake', source: 'fake', mode: 'full', parameters: 0, trainableParameters: 0, backend: 'cpu' }),
      beginTraining: async (train) => {
        for (const e of train) { seen.set(e.text, e.label); mine.add(e.text); }
        return { stepsPerEpoch: 3 };
      },
      trainStep: async () => ({ loss: 0, samples: 1, learningRate: 0 }),
      predictProbs: async (texts) => {
        const out = new Float32Array(texts.length * labelMap.length).fill(1 / labelMap.length);
        texts.forEach((t, r) => {
          const label = seen.get(t);
          if (label !== undefined) { out.fill(0, r * labelMap.length, (r + 1) * labelMap.length); out[r * labelMap.length + labelMap.indexOf(label)] = 1; }
        });
        return out;
      },
      saveCheckpoint: async () => {},
      loadCheckpoint: async () => {},
      exportModel: async () => {},
      dispose: () => { log.disposed++; },
    };
    return { classifier, epochs: 2 };
  };
}

test('folds are stratified, cover every example once, and depend only on the seed', () => {
  const ids = Array.from({ length: 103 }, (_, i) => i % 4);
  const folds = assignStratifiedFolds(ids, 5, 7);
  assert.deepEqual([...assignStratifiedFolds(ids, 5, 7)], [...folds]);
  assert.notDeepEqual([...assignStratifiedFolds(ids, 5, 8)], [...folds]);
  for (let cls = 0; cls < 4; cls++) {
    const sizes = [0, 0, 0, 0, 0];
    ids.forEach((id, i) => { if (id === cls) sizes[folds[i]]++; });
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `class ${cls} fold sizes ${sizes}`);
  }
});

test('every example is predicted by a model that never trained on it', async () => {
  const log = { trained: [] as Set<string>[], disposed: 0 };
  const progress: number[] = [];
  const result = await computeOutOfFoldProbs(dataset, { folds: 3, createClassifier: memoriserFactory(log), onProgress: (p) => progress.push(p.fraction) });
  assert.equal(log.trained.length, 3);
  assert.equal(log.disposed, 3);
  // A leak would give a one-hot row; held-out rows are uniform.
  for (const v of result.predProbs.values) assert.ok(Math.abs(v - 1 / 3) < 1e-6);
  dataset.train.forEach((e, i) => assert.ok(!log.trained[result.foldOf[i]].has(e.text), `example ${i} leaked`));
  assert.deepEqual([...result.labelIds.slice(0, 4)], [0, 1, 2, 0]);
  assert.ok(progress.every((f, i) => i === 0 || f >= progress[i - 1]), 'progress is monotonic');
  assert.ok(Math.abs(progress[progress.length - 1] - 1) < 1e-9);
});

test('abort stops between steps with a cancelled EngineError and disposes the fold model', async () => {
  const log = { trained: [] as Set<string>[], disposed: 0 };
  const controller = new AbortController();
  await assert.rejects(
    computeOutOfFoldProbs(dataset, { createClassifier: memoriserFactory(log), signal: controller.signal, onProgress: (p) => { if (p.step === 2) controller.abort(); } }),
    (e: unknown) => e instanceof EngineError && /cancelled/.test(e.message),
  );
  assert.equal(log.trained.length, 1);
  assert.equal(log.disposed, 1);
});

test('bad fold counts and unknown labels are refused', async () => {
  const factory = memoriserFactory({ trained: [], disposed: 0 });
  await assert.rejects(computeOutOfFoldProbs(dataset, { folds: 1, createClassifier: factory }), /folds must be an integer ≥ 2, got 1/);
  await assert.rejects(computeOutOfFoldProbs({ labels, train: dataset.train.slice(0, 2) }, { folds: 3, createClassifier: factory }), /must not exceed/);
  await assert.rejects(computeOutOfFoldProbs({ labels: ['a', 'b'], train: dataset.train }, { createClassifier: factory }), /d\.jsonl:3: label "c" is not in the label map/);
});
