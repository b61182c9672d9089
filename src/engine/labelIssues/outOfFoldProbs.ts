// k-fold out-of-fold predicted probabilities: k models, each trained on k−1 folds and asked only about the
// fold it never saw. Confident learning needs these — a model that trained on a line has memorised its label.
import type { Example } from '../data/example';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { assignStratifiedFolds } from './stratifiedFolds';
import type { ProbMatrix } from './validate';

/** Makes a fresh, untrained classifier for one fold, with the number of epochs to train it. */
export type FoldClassifierFactory = (labels: readonly string[], fold: number) => Promise<{ classifier: TrainableClassifier; epochs: number }>;

/** Streamed while the folds train; `fraction` is the share of the whole job done, 0..1. */
export interface OutOfFoldProgress {
  fold: number;
  folds: number;
  /** Which repetition of the k-fold split (0-based) and how many there are. */
  repeat: number;
  repeats: number;
  /** `encode`: the encoder judge embeds the lines before any fold (`findLabelIssuesInDataset`); then `fold` is 0. */
  phase: 'encode' | 'train' | 'predict';
  step: number;
  totalSteps: number;
  fraction: number;
}

export interface OutOfFoldOptions {
  /** Number of folds, ≥ 2. Default 5. */
  folds?: number;
  /** Fold assignment seed. Default 42. */
  seed?: number;
  /**
   * Times the whole k-fold split is drawn (repetition r uses seed + 1000·r), default 1. The probabilities are
   * the mean over repetitions: every row still comes only from models that never saw it, and averaging models
   * trained on different folds smooths out what one fold's model happened to memorise (repeated
   * cross-validation; measured in bench/labelIssues.ts).
   */
  repeats?: number;
  signal?: AbortSignal;
  onProgress?: (progress: OutOfFoldProgress) => void;
  /** Builds each fold's model (the n-gram model or a BERT feature-extraction config, see `createFoldClassifierFactory`). */
  createClassifier: FoldClassifierFactory;
  /** Texts per prediction call; bounds memory for transformer models. Default 512. */
  predictBatchSize?: number;
}

export interface OutOfFoldResult {
  /** `[N × K]` out-of-fold probabilities, row order = `dataset.train`. */
  predProbs: ProbMatrix & { values: Float32Array };
  /** Given label id per example. */
  labelIds: Int32Array;
  /** Fold of each example in the first repetition. */
  foldOf: Int32Array;
}

/**
 * Returns out-of-fold probabilities for every training example: fold f's rows come from a model trained on
 * all other folds only. Folds are stratified by label and seeded.
 * @param dataset the training examples and the label map (a `DatasetSplits` fits; only `train` is used).
 * @param options `{ folds = 5, seed = 42, signal, onProgress, createClassifier }`.
 * @throws EngineError(invalidOption) for folds < 2 or more folds than examples, or a label outside the map;
 *   EngineError(cancelled) when `signal` aborts (checked between steps).
 */
export async function computeOutOfFoldProbs(dataset: { train: readonly Example[]; labels: readonly string[] }, options: OutOfFoldOptions): Promise<OutOfFoldResult> {
  const { folds = 5, seed = 42, repeats = 1, signal, onProgress, createClassifier, predictBatchSize = 512 } = options;
  const { train, labels } = dataset;
  const N = train.length;
  const K = labels.length;
  if (!Number.isInteger(folds) || folds < 2) throw new EngineError(EngineErrorCodes.invalidOption, `folds must be an integer ≥ 2, got ${folds}.`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new EngineError(EngineErrorCodes.invalidOption, `repeats must be an integer ≥ 1, got ${repeats}.`);
  if (N < folds) throw new EngineError(EngineErrorCodes.invalidOption, `folds (${folds}) must not exceed the number of training examples (${N}).`);
  const labelIndex = new Map(labels.map((label, id) => [label, id]));
  const labelIds = new Int32Array(N);
  train.forEach((example, i) => {
    const id = labelIndex.get(example.label);
    if (id === undefined) throw new EngineError(EngineErrorCodes.invalidDataset, `label "${example.label}" is not in the label map.`, { file: example.file, line: example.line });
    labelIds[i] = id;
  });
  const firstFoldOf = assignStratifiedFolds(labelIds, folds, seed);
  const values = new Float32Array(N * K);
  const checkCancelled = () => {
    if (signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Label-issue detection was cancelled.');
  };

  for (let repeat = 0; repeat < repeats; repeat++) {
    const repeatSeed = seed + 1000 * repeat;
    const foldOf = repeat === 0 ? firstFoldOf : assignStratifiedFolds(labelIds, folds, repeatSeed);
    for (let fold = 0; fold < folds; fold++) {
      checkCancelled();
      const trainPart: Example[] = [];
      const heldOut: number[] = [];
      for (let i = 0; i < N; i++) {
        if (foldOf[i] === fold) heldOut.push(i);
        else trainPart.push(train[i]);
      }
      const { classifier, epochs } = await createClassifier(labels, repeat * folds + fold);
      try {
        const { stepsPerEpoch } = await classifier.beginTraining(trainPart, { epochs, seed: repeatSeed + fold });
        const trainSteps = stepsPerEpoch * epochs;
        const predictSteps = Math.ceil(heldOut.length / predictBatchSize);
        const totalSteps = trainSteps + predictSteps;
        const report = (phase: OutOfFoldProgress['phase'], step: number) =>
          onProgress?.({ fold, folds, repeat, repeats, phase, step, totalSteps, fraction: (repeat * folds + fold + step / Math.max(1, totalSteps)) / (folds * repeats) });
        let step = 0;
        for (let epoch = 0; epoch < epochs; epoch++) {
          for (let s = 0; s < stepsPerEpoch; s++) {
            checkCancelled();
            await classifier.trainStep(epoch, s);
            report('train', ++step);
          }
        }
        for (let start = 0; start < heldOut.length; start += predictBatchSize) {
          checkCancelled();
          const rows = heldOut.slice(start, start + predictBatchSize);
          const probs = await classifier.predictProbs(rows.map((i) => train[i].text));
          rows.forEach((row, r) => {
            for (let k = 0; k < K; k++) values[row * K + k] += probs[r * K + k] / repeats;
          });
          report('predict', ++step);
        }
      } finally {
        classifier.dispose();
      }
    }
  }
  return { predProbs: { values, numExamples: N, numClasses: K }, labelIds, foldOf: firstFoldOf };
}
