// The encoder judge of label issues: a pretrained encoder embeds every line once (cached on disk), and k linear
// heads on those vectors give the out-of-fold probabilities the report is built from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLabelIssuesInDataset } from '../../../../src/engine/labelIssues/findLabelIssuesInDataset';
import { detectLabelIssues } from '../../../../src/engine/labelIssues/detectLabelIssues';
import { EmbeddingHeadClassifier, defaultEmbeddingHeadSettings, type TextVectors } from '../../../../src/engine/labelIssues/embeddingHead';
import type { FoldClassifierFactory, OutOfFoldProgress } from '../../../../src/engine/labelIssues/outOfFoldProbs';
import { LocalRunner } from '../../../../src/engine/models/bert/gradientRunner';
import type { TokenBatch } from '../../../../src/engine/models/bert/embeddingLookup';
import type { Example } from '../../../../src/engine/data/example';
import { SeededRandom } from '../../../../src/engine/seededRandom';
import { EngineError } from '../../../../src/engine/errors';
import { tinyExamples, tinyWords, writeTinyBertFolder } from '../models/bert/tinyBertFolder';

/** Counts the rows the BERT encoder runs forward, by output ('pooled' = embeddings, 'logits' = a full forward). */
function countEncoderRows(): { rows: { pooled: number; logits: number }; restore: () => void } {
  const rows = { pooled: 0, logits: 0 };
  const original = LocalRunner.prototype.infer;
  LocalRunner.prototype.infer = function (this: LocalRunner, batches: readonly TokenBatch[], what: 'logits' | 'pooled') {
    for (const b of batches) rows[what] += b.batchSize;
    return original.call(this, batches, what);
  };
  return { rows, restore: () => { LocalRunner.prototype.infer = original; } };
}

test('each line is encoded once for all k folds, the heads give the report, and a second run encodes nothing', async () => {
  const modelDir = await writeTinyBertFolder('bert');
  const dir = await mkdtemp(join(tmpdir(), 'cw-encoder-judge-'));
  const dataset = join(dir, 'train.jsonl');
  // Label by the sentiment word each line holds (tinyExamples' own labels come out one-sided for small n).
  const examples = tinyExamples(80).map((e, i) => {
    const words = e.text.split(' ').filter((w) => !tinyWords.slice(0, 10).includes(w));
    const label = i % 2 === 0 ? 'pos' : 'neg';
    words.splice(i % (words.length + 1), 0, tinyWords[(i % 5) + (label === 'pos' ? 0 : 5)]!);
    return { ...e, text: `${words.join(' ')} ${i % 7 === 0 ? 'very' : ''}`.trim(), label };
  });
  await writeFile(dataset, examples.map((e) => JSON.stringify({ text: e.text, label: e.label })).join('\n') + '\n');
  const distinct = new Set(examples.map((e) => e.text)).size;
  const cacheDir = join(dir, 'cache');
  const options = { overrides: { workers: 1, backend: 'wasm' as const, maxLength: 32 }, cacheDir };
  const counter = countEncoderRows();
  const headPredictions = { calls: 0 };
  const originalPredict = EmbeddingHeadClassifier.prototype.predictProbs;
  EmbeddingHeadClassifier.prototype.predictProbs = function (this: EmbeddingHeadClassifier, texts: readonly string[]) {
    headPredictions.calls++;
    return originalPredict.call(this, texts);
  };
  try {
    const progress: OutOfFoldProgress[] = [];
    const report = await findLabelIssuesInDataset({ dataset, model: modelDir, folds: 5 }, { ...options, onProgress: (p) => progress.push(p) });
    assert.equal(counter.rows.pooled, distinct, 'every distinct text through the encoder exactly once, not once per fold');
    assert.equal(counter.rows.logits, 0, 'no fold runs the encoder');
    assert.equal(headPredictions.calls, 5, 'each fold\'s held-out lines are predicted by that fold\'s linear head');
    assert.equal(report.examples, 80);
    assert.equal(report.judge?.kind, 'encoder');
    assert.equal(report.judge?.model, modelDir);
    assert.deepEqual({ encoded: report.judge?.encoder?.encoded, reused: report.judge?.encoder?.reused, dim: report.judge?.encoder?.dim }, { encoded: distinct, reused: 0, dim: 16 });
    assert.match(report.judge!.summary, /pooled embeddings \(16 values per line; \d+ texts encoded\) with a linear softmax head trained per fold/);
    assert.ok(report.judge!.encoder!.cacheFile.startsWith(cacheDir));
    assert.ok(progress.some((p) => p.phase === 'encode') && progress.some((p) => p.phase === 'train'));
    assert.ok(progress.every((p, i) => i === 0 || p.fraction >= progress[i - 1].fraction - 1e-12), 'progress never goes back');
    assert.ok(Math.abs(progress.at(-1)!.fraction - 1) < 1e-9);

    const again = await findLabelIssuesInDataset({ dataset, model: modelDir, folds: 5 }, options);
    assert.equal(counter.rows.pooled, distinct, 'the second run reads every vector from the cache');
    assert.deepEqual({ encoded: again.judge?.encoder?.encoded, reused: again.judge?.encoder?.reused }, { encoded: 0, reused: distinct });
    assert.match(again.judge!.summary, new RegExp(`0 texts encoded, ${distinct} from the cache`));
    assert.deepEqual(again.issues.map((i) => i.line), report.issues.map((i) => i.line), 'cached vectors judge as the computed ones did');

    const ngram = await findLabelIssuesInDataset({ dataset, folds: 5, repeats: 1 });
    assert.equal(ngram.judge?.kind, 'ngram');
  } finally {
    counter.restore();
    EmbeddingHeadClassifier.prototype.predictProbs = originalPredict;
  }
});

/** Texts that say nothing (an n-gram model cannot learn from them) with vectors that say the true class. */
function plantedVectors(n: number, labels: string[], flips: number, seed: number): { examples: Example[]; vectors: TextVectors; flipped: Map<number, string> } {
  const random = new SeededRandom(seed);
  const dim = 8;
  const vectors = new Float32Array(n * dim);
  const examples: Example[] = [];
  const flipped = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const truth = i % labels.length;
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = (d === truth ? 2 : 0) + 0.3 * (random.next() * 2 - 1);
    let label = labels[truth];
    // A stride that is not a multiple of the class count: the flips hit every class, not one systematic pair.
    if (i % (Math.floor(n / flips) - 1) === 7 && flipped.size < flips) {
      label = labels[(truth + 1) % labels.length];
      flipped.set(i + 1, labels[truth]);
    }
    examples.push({ text: `line ${i}`, label, file: '/planted.jsonl', line: i + 1 });
  }
  return { examples, vectors: { vectors, dim, rowOf: new Map(examples.map((e, i) => [e.text, i])), encoder: 'planted' }, flipped };
}

test('the linear heads judge from the vectors: every planted flip is found, with the true label suggested', async () => {
  const labels = ['a', 'b', 'c'];
  // 10 flips in 300 lines: about 3 % per class, so a calibrated head gives a flipped line's given label ≈ 0.03.
  const { examples, vectors, flipped } = plantedVectors(300, labels, 10, 11);
  const factory: FoldClassifierFactory = async (l) => ({ classifier: new EmbeddingHeadClassifier(l, vectors), epochs: defaultEmbeddingHeadSettings.epochs });
  const report = await detectLabelIssues(examples, labels, { createClassifier: factory, modelName: 'planted', dataset: '/planted.jsonl', folds: 5 });
  assert.equal(flipped.size, 10);
  assert.deepEqual(report.issues.map((i) => i.line).sort((x, y) => x - y), [...flipped.keys()]);
  for (const issue of report.issues) assert.equal(issue.suggestedLabel, flipped.get(issue.line));
  assert.ok(report.outOfFoldAccuracy >= 290 / 300 - 1e-9, `the heads agree with every unflipped line (accuracy ${report.outOfFoldAccuracy})`);
});

test('a multi-label head gives one sigmoid per label; a text without a vector is an error, not a guess', async () => {
  const labels = ['a', 'b', 'c'];
  const { examples, vectors } = plantedVectors(60, labels, 1, 5);
  // Lines of class a also carry b: the head must learn both labels from the same vector.
  const multi = examples.map((e) => ({ ...e, label: e.label, labels: e.label === 'a' ? ['a', 'b'] : [e.label] }));
  const head = new EmbeddingHeadClassifier(labels, vectors, { problemType: 'multi_label_classification' });
  const { stepsPerEpoch } = await head.beginTraining(multi, { epochs: 20, seed: 1 });
  for (let epoch = 0; epoch < 20; epoch++) for (let s = 0; s < stepsPerEpoch; s++) await head.trainStep(epoch, s);
  const probs = await head.predictProbs(['line 0', 'line 1']);
  assert.ok(probs[0] > 0.8 && probs[1] > 0.8 && probs[2] < 0.2, `line 0 (a, b): ${[...probs.slice(0, 3)]}`);
  assert.ok(probs[3] < 0.2 && probs[4] > 0.8 && probs[5] < 0.2, `line 1 (b): ${[...probs.slice(3, 6)]}`);
  await assert.rejects(head.predictProbs(['never embedded']), (e: unknown) => e instanceof EngineError && /No encoder vector/.test(e.message));
});
