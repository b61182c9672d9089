import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNgramClassifier } from '../../../../../src/engine/models/ngram/ngramClassifier';
import { createScratch, forwardExample, initNgramWeights, sgdUpdate } from '../../../../../src/engine/models/ngram/ngramNetwork';
import { NgramModel } from '../../../../../src/engine/models/ngram/ngramModel';
import { mulberry32 } from '../../../../../src/engine/seededRandom';
import type { TrainConfig } from '../../../../../src/protocol/train';
import type { Example } from '../../../../../src/engine/data/example';

const config: TrainConfig = {
  dataset: 'x.jsonl', model: 'ngram', mode: 'full', epochs: 40, batchSize: 4, learningRate: 0.5, weightDecay: 0, warmupRatio: 0,
  maxLength: 128, gradientAccumulation: 1, maxGradNorm: 0, patience: 0, seed: 7, validationSplit: 0.1, backend: 'auto', workers: 0,
  ngram: { dim: 8 },
};

function examples(): Example[] {
  const happy = ['what a lovely day', 'i am so happy today', 'this is wonderful news', 'lovely and wonderful', 'so happy and glad'];
  const sad = ['this is terrible news', 'i feel awful today', 'what a sad day', 'awful and terrible', 'so sad and gloomy'];
  return [...happy.map((text, i) => ({ text, label: 'joy', file: 'x', line: i + 1 })), ...sad.map((text, i) => ({ text, label: 'sadness', file: 'x', line: i + 6 }))];
}

test('the analytic gradient of one SGD update matches finite differences', () => {
  const w = initNgramWeights(5, 3, 3, 'sqrt', mulberry32(1));
  for (let i = 0; i < w.outWeight.length; i++) w.outWeight[i] = Math.sin(i + 1) * 0.5;
  const rows = [0, 2, 2, 4];
  const weights = [1, 0.5, 0.5, 0.25];
  const s = createScratch(w);
  const lossAt = () => {
    forwardExample(w, rows, weights, s);
    return -Math.log(s.probs[1]!);
  };
  // Numerical gradient of embedding row 2, dimension 1, and of output weight [0, 2].
  const eps = 1e-3;
  const numeric = (arr: Float32Array, i: number) => {
    const keep = arr[i]!;
    arr[i] = keep + eps;
    const up = lossAt();
    arr[i] = keep - eps;
    const down = lossAt();
    arr[i] = keep;
    return (up - down) / (2 * eps);
  };
  const gEmb = numeric(w.embeddings, 2 * 3 + 1);
  const gOut = numeric(w.outWeight, 0 * 3 + 2);
  const before = { emb: w.embeddings[7]!, out: w.outWeight[2]! };
  const lr = 1e-3;
  const oneHot = new Float32Array(w.numClasses);
  oneHot[1] = 1;
  sgdUpdate(w, rows, weights, oneHot, null, 0, lr, 0, s);
  assert.ok(Math.abs((before.emb - w.embeddings[7]!) / lr - gEmb) < 2e-3, `embedding grad ${(before.emb - w.embeddings[7]!) / lr} vs ${gEmb}`);
  assert.ok(Math.abs((before.out - w.outWeight[2]!) / lr - gOut) < 2e-3, `output grad ${(before.out - w.outWeight[2]!) / lr} vs ${gOut}`);
});

test('learns a separable toy task, and a checkpoint round trip predicts identically', async () => {
  const data = examples();
  const clf = await createNgramClassifier(config, ['joy', 'sadness']);
  const { stepsPerEpoch } = await clf.beginTraining(data, { epochs: config.epochs, seed: config.seed });
  assert.equal(stepsPerEpoch, 3); // ceil(10 / 4)
  const texts = ['a lovely happy day', 'awful sad news'];
  const before = await clf.predictProbs(texts);
  for (let e = 0; e < config.epochs; e++) for (let s = 0; s < stepsPerEpoch; s++) await clf.trainStep(e, s);
  const probs = await clf.predictProbs(texts);
  assert.ok(probs[0]! > 0.8 && probs[3]! > 0.8, `trained probabilities ${Array.from(probs)} (untrained ${Array.from(before)})`);
  const dir = await mkdtemp(join(tmpdir(), 'ngram-test-'));
  try {
    await clf.saveCheckpoint(dir);
    const loaded = await NgramModel.load(dir);
    assert.deepEqual(loaded.labels, ['joy', 'sadness']);
    assert.deepEqual(Array.from(loaded.predictProbs(texts)), Array.from(probs));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('training is reproducible: same seed, same weights; steps replayed after a checkpoint give the same result', async () => {
  const data = examples();
  const run = async (stopAfter?: number) => {
    let clf = await createNgramClassifier(config, ['joy', 'sadness']);
    const { stepsPerEpoch } = await clf.beginTraining(data, { epochs: 3, seed: 3 });
    const dir = await mkdtemp(join(tmpdir(), 'ngram-resume-'));
    try {
      let done = 0;
      for (let e = 0; e < 3; e++) {
        for (let s = 0; s < stepsPerEpoch; s++) {
          if (done === stopAfter) {
            await clf.saveCheckpoint(dir);
            clf = await createNgramClassifier(config, ['joy', 'sadness']);
            await clf.beginTraining(data, { epochs: 3, seed: 3 });
            await clf.loadCheckpoint(dir);
          }
          await clf.trainStep(e, s);
          done++;
        }
      }
      return Array.from(await clf.predictProbs(['lovely day', 'terrible day']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const straight = await run();
  assert.deepEqual(await run(), straight);
  assert.deepEqual(await run(4), straight);
});

test('loading a checkpoint from another label map is refused', async () => {
  const clf = await createNgramClassifier(config, ['joy', 'sadness']);
  await clf.beginTraining(examples(), { epochs: 1, seed: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'ngram-mismatch-'));
  try {
    await clf.saveCheckpoint(dir);
    const other = await createNgramClassifier(config, ['sadness', 'joy']);
    await other.beginTraining(examples(), { epochs: 1, seed: 1 });
    await assert.rejects(other.loadCheckpoint(dir), /does not match/);
    await assert.rejects(NgramModel.load(join(dir, 'missing')), /n-gram model header/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
