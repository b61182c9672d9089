import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNgramClassifier } from '../../../../../src/engine/models/ngram/ngramClassifier';
import { createScratch, forwardExample, initNgramWeights, sgdUpdate } from '../../../../../src/engine/models/ngram/ngramNetwork';
import { NgramModel } from '../../../../../src/engine/models/ngram/ngramModel';
import { FeatureVocabulary } from '../../../../../src/engine/models/ngram/featureVocabulary';
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


/** d loss / d arr[i] by central differences (step `eps`), arr[i] restored afterwards. */
function centralDifference(lossAt: () => number, arr: Float32Array, i: number, eps = 1e-3): number {
  const keep = arr[i]!;
  arr[i] = keep + eps;
  const up = lossAt();
  arr[i] = keep - eps;
  const down = lossAt();
  arr[i] = keep;
  return (up - down) / (2 * eps);
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
  const numeric = (arr: Float32Array, i: number) => centralDifference(lossAt, arr, i);
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

test('linear head, L2 pooling, sigmoid: the analytic gradient of one SGD update matches finite differences, and the output layer stays the identity', () => {
  const w = initNgramWeights(5, 99, 3, 'l2', mulberry32(1), 'multi_label_classification', 'linear');
  assert.equal(w.dim, 3);
  for (let i = 0; i < w.embeddings.length; i++) w.embeddings[i] = Math.sin(i + 1) * 0.7;
  w.outBias.set([0.1, -0.3, 0.2]);
  const rows = [0, 2, 2, 4];
  const weights = [1, 0.5, 0.5, 0.25];
  const target = new Float32Array([1, 0, 1]);
  const notTarget = new Float32Array([0, 1, 0]);
  const s = createScratch(w);
  const lossAt = () => {
    forwardExample(w, rows, weights, s);
    return -(Math.log(s.probs[0]!) + Math.log(1 - s.probs[1]!) + Math.log(s.probs[2]!));
  };
  const numeric = (arr: Float32Array, i: number) => centralDifference(lossAt, arr, i);
  const gEmb = numeric(w.embeddings, 2 * 3 + 1);
  const gBias = numeric(w.outBias, 2);
  const before = { emb: w.embeddings[7]!, bias: w.outBias[2]! };
  const lr = 1e-3;
  sgdUpdate(w, rows, weights, target, notTarget, 0, lr, 0.5, s);
  assert.ok(Math.abs((before.emb - w.embeddings[7]!) / lr - gEmb) < 2e-3, `feature weight grad ${(before.emb - w.embeddings[7]!) / lr} vs ${gEmb}`);
  assert.ok(Math.abs((before.bias - w.outBias[2]!) / lr - gBias) < 2e-3, `bias grad ${(before.bias - w.outBias[2]!) / lr} vs ${gBias}`);
  assert.deepEqual(Array.from(w.outWeight), [1, 0, 0, 0, 1, 0, 0, 0, 1], 'weight decay and updates leave the identity alone');
  // L2 pooling: the pooled vector is the weighted sum over √(Σ weight²) = √1.5625 = 1.25.
  forwardExample(w, [4], [2], s);
  const z = Math.log(s.probs[0]! / (1 - s.probs[0]!));
  assert.ok(Math.abs(z - (w.outBias[0]! + w.embeddings[12]!)) < 1e-5, `one feature of weight 2 pools to its row: ${z}`);
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

/** Multi-label toy data: `warm` and `cheap` told by their words, a line may carry both or neither. */
function multiLabelExamples(): Example[] {
  const rows: [string, string[]][] = [
    ['a warm cosy room', ['warm']], ['warm sunny weather', ['warm']], ['cheap tickets today', ['cheap']], ['a cheap lunch', ['cheap']],
    ['warm and cheap hotel', ['warm', 'cheap']], ['a cheap coat', ['cheap']], ['the train was late', []], ['a long meeting', []],
  ];
  return rows.map(([text, labels], i) => ({ text, label: labels.join(', '), labels, file: 'x', line: i + 1 }));
}
const multiLabel = { problemType: 'multi_label_classification' } as const;

test('multi-label data gets the linear head by default: one weight per feature and label, the identity output layer kept as it is', async () => {
  const clf = await createNgramClassifier(config, ['cheap', 'warm'], multiLabel);
  const data = multiLabelExamples();
  const { stepsPerEpoch } = await clf.beginTraining(data, { epochs: 30, seed: 1 });
  const description = clf.describe();
  // dim 8 is asked for, but a linear head has K = 2 values per row; the 2×2 identity is stored, not trained.
  assert.equal(description.parameters - description.trainableParameters, 4);
  const dir = await mkdtemp(join(tmpdir(), 'ngram-linear-'));
  try {
    await clf.saveCheckpoint(dir);
    const untrained = await NgramModel.load(dir);
    assert.equal(untrained.weights.head, 'linear');
    assert.equal(untrained.weights.dim, 2);
    // Biases start at each label's log-odds: 4 of 8 lines are cheap, 3 of 8 warm.
    assert.ok(Math.abs(untrained.weights.outBias[0]!) < 1e-6 && Math.abs(untrained.weights.outBias[1]! - Math.log(3 / 5)) < 1e-6, `biases ${Array.from(untrained.weights.outBias)}`);
    for (let e = 0; e < 30; e++) for (let s = 0; s < stepsPerEpoch; s++) await clf.trainStep(e, s);
    const probs = await clf.predictProbs(['a cheap lunch', 'warm sunny day', 'warm and cheap', 'a long train']);
    const decided = Array.from(probs, (p) => (p >= 0.5 ? 1 : 0));
    assert.deepEqual(decided, [1, 0, 0, 1, 1, 1, 0, 0], `probabilities ${Array.from(probs)}`);
    await clf.exportModel(dir);
    const trained = await NgramModel.load(dir);
    assert.deepEqual(Array.from(trained.weights.outWeight), [1, 0, 0, 1]);
    assert.equal(trained.weights.pooling, 'l2');
    assert.equal(trained.vocabulary.idf?.length, trained.weights.rows, 'idf weighting is on with the linear head and saved');
    assert.deepEqual(Array.from(trained.predictProbs(['warm and cheap'])), Array.from(probs.subarray(4, 6)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the head can be chosen: an embedding head on multi-label data, a linear head on single-label data', async () => {
  const embedding = await createNgramClassifier({ ...config, ngram: { dim: 8, head: 'embedding' } }, ['cheap', 'warm'], multiLabel);
  await embedding.beginTraining(multiLabelExamples(), { epochs: 1, seed: 1 });
  const linear = await createNgramClassifier({ ...config, ngram: { dim: 8, head: 'linear' } }, ['joy', 'sadness']);
  const { stepsPerEpoch } = await linear.beginTraining(examples(), { epochs: 20, seed: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'ngram-heads-'));
  try {
    await embedding.saveCheckpoint(dir);
    assert.equal((await NgramModel.load(dir)).weights.head, undefined, 'embedding is the format default');
    assert.equal((await NgramModel.load(dir)).weights.dim, 8);
    for (let e = 0; e < 20; e++) for (let s = 0; s < stepsPerEpoch; s++) await linear.trainStep(e, s);
    const probs = await linear.predictProbs(['a lovely happy day', 'awful sad news']);
    assert.ok(probs[0]! > 0.8 && probs[3]! > 0.8, `softmax over a linear head ${Array.from(probs)}`);
    // A checkpoint of the other head is refused on resume.
    await linear.saveCheckpoint(dir);
    const other = await createNgramClassifier({ ...config, ngram: { dim: 2, head: 'embedding' } }, ['joy', 'sadness']);
    await other.beginTraining(examples(), { epochs: 1, seed: 1 });
    await assert.rejects(other.loadCheckpoint(dir), /does not match/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a linear-head file whose dim is not the number of labels, or with an unknown head, is refused naming the header', async () => {
  const clf = await createNgramClassifier(config, ['cheap', 'warm'], { ...multiLabel });
  await clf.beginTraining(multiLabelExamples(), { epochs: 1, seed: 1 });
  const embedding = await createNgramClassifier({ ...config, ngram: { dim: 8, head: 'embedding' } }, ['cheap', 'warm'], multiLabel);
  await embedding.beginTraining(multiLabelExamples(), { epochs: 1, seed: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'ngram-bad-head-'));
  try {
    const headerPath = join(dir, 'ngram.json');
    const rewrite = async (change: Record<string, unknown>) => {
      const header = JSON.parse(await readFile(headerPath, 'utf8')) as Record<string, unknown>;
      await writeFile(headerPath, JSON.stringify({ ...header, ...change }));
    };
    await clf.saveCheckpoint(dir);
    await rewrite({ head: 'deep' });
    await assert.rejects(NgramModel.load(dir), (e: Error) => e.message.startsWith(headerPath) && /"head" must be "embedding" or "linear", got "deep"/.test(e.message));
    // Consistent tensors of an 8-dimensional embedding model, but the header says linear.
    await embedding.saveCheckpoint(dir);
    await rewrite({ head: 'linear' });
    await assert.rejects(NgramModel.load(dir), (e: Error) => e.message.startsWith(headerPath) && /a linear head has one weight per label: "dim" must be 2, got 8/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('idf: each row weighs ln((1 + n) / (1 + df)) + 1 over the training texts, and rowsOf applies it', () => {
  const set = (ids: number[]) => ({ ids: Uint32Array.from(ids), weights: new Float32Array(ids.length).fill(0.5) });
  // Bucket 7 is in all three texts (twice in the first: counted once), 9 in one, 11 in two.
  const sets = [set([7, 7, 9]), set([7, 11]), set([11, 7])];
  const vocabulary = FeatureVocabulary.build(sets).withIdf(sets);
  assert.deepEqual(Array.from(vocabulary.buckets), [7, 9, 11]);
  const expected = [1, Math.log(4 / 2) + 1, Math.log(4 / 3) + 1];
  vocabulary.idf!.forEach((v, r) => assert.ok(Math.abs(v - expected[r]!) < 1e-6, `row ${r}: ${v} vs ${expected[r]}`));
  const { rows, weights } = vocabulary.rowsOf(set([9, 7, 42]));
  assert.deepEqual(Array.from(rows), [1, 0], 'the unknown bucket 42 is dropped');
  assert.ok(Math.abs(weights[0]! - 0.5 * expected[1]!) < 1e-6 && Math.abs(weights[1]! - 0.5) < 1e-6);
});
