// The built-in n-gram model as a TrainableClassifier: fastText-style hashed word and character n-grams,
// averaged embedding bag, softmax (or sigmoid per label, multi-label), per-example sparse SGD with a linearly
// decaying learning rate. Multi-label data gets a linear head by default (one weight per feature and label over
// idf-weighted, L2-normalised n-grams: one-vs-rest logistic regression trained the same way; see NgramOptions.head).
import { exampleLabels, type Example } from '../../data/example';
import { lossCoefficients, singleLabelObjective, type ClassificationObjective } from '../nn/classificationObjective';
import type { NgramOptions, TrainConfig } from '../../../protocol/train';
import type { ModelDescription, TrainableClassifier } from '../../classifier/trainableClassifier';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { epochOrder, mulberry32 } from '../../seededRandom';
import { DEFAULT_FEATURE_SPEC, hashNgramFeatures, type NgramFeatureSpec } from './ngramFeatures';
import { FeatureVocabulary } from './featureVocabulary';
import { createScratch, initNgramWeights, sgdUpdate, type NgramHead, type NgramPooling, type NgramScratch } from './ngramNetwork';
import { NgramModel } from './ngramModel';

/** Defaults measured on emotion (bench/ngram.ts): 32 dimensions and uni+bigrams with 3–5 character grams. */
export const DEFAULT_NGRAM_OPTIONS: NgramOptions = {
  dim: 32,
  wordNgrams: 2,
  charMin: 3,
  charMax: 5,
  buckets: DEFAULT_FEATURE_SPEC.buckets,
};

/** Training-set features in model rows, computed once in `beginTraining`. */
interface PreparedExample {
  rows: Int32Array;
  weights: Float32Array;
  /** Label ids: the gold one, or (multi-label) the example's set, maybe empty. */
  gold: number[];
}

class NgramClassifier implements TrainableClassifier {
  private model: NgramModel | undefined;
  private prepared: PreparedExample[] = [];
  private plan = { epochs: 1, seed: 42 };
  private orderCache: { epoch: number; order: Uint32Array } | undefined;
  private scratch: NgramScratch | undefined;
  private readonly spec: NgramFeatureSpec;
  private readonly dim: number;
  private readonly head: NgramHead;
  private readonly pooling: NgramPooling;
  private readonly idf: boolean;
  /** Starting learning rate: `learningRate`, or a linear head's `ngram.linearLearningRate` when set. */
  private readonly rate: number;

  constructor(
    readonly labels: readonly string[],
    private readonly config: TrainConfig,
    private readonly objective: ClassificationObjective,
  ) {
    const options = { ...DEFAULT_NGRAM_OPTIONS, ...config.ngram };
    this.spec = { ...DEFAULT_FEATURE_SPEC, wordNgrams: options.wordNgrams, charMin: options.charMin, charMax: options.charMax, buckets: options.buckets };
    this.dim = options.dim;
    this.head = options.head ?? (objective.problemType === 'multi_label_classification' ? 'linear' : 'embedding');
    this.pooling = options.pooling ?? (this.head === 'linear' ? 'l2' : 'sqrt');
    this.idf = options.idf ?? this.head === 'linear';
    this.rate = this.head === 'linear' ? options.linearLearningRate ?? config.learningRate : config.learningRate;
  }

  describe(): ModelDescription {
    const parameters = this.model?.parameterCount ?? 0;
    const trainableParameters = this.model?.trainableParameterCount ?? 0;
    const head = this.head === 'linear' ? `linear head (one weight per feature and label, ${this.idf ? 'idf-weighted, ' : ''}${this.pooling} pooling), learning rate ${this.rate}; ` : '';
    return { kind: 'ngram', source: 'ngram', mode: 'full', parameters, trainableParameters, backend: 'js', backendNote: `${head}plain JavaScript typed arrays; no tensor backend needed` };
  }

  async beginTraining(train: readonly Example[], plan: { epochs: number; seed: number }): Promise<{ stepsPerEpoch: number }> {
    this.plan = plan;
    const labelIds = new Map(this.labels.map((l, i) => [l, i]));
    const features = train.map((e) => hashNgramFeatures(e.text, this.spec));
    const built = FeatureVocabulary.build(features);
    const vocabulary = this.idf ? built.withIdf(features) : built;
    const weights = initNgramWeights(vocabulary.size, this.dim, this.labels.length, this.pooling, mulberry32(plan.seed), this.objective.problemType, this.head);
    this.model = new NgramModel(this.labels, this.spec, vocabulary, weights);
    this.scratch = createScratch(weights);
    this.prepared = train.map((e, i) => ({ ...vocabulary.rowsOf(features[i]!), gold: labelIdsOf(e, labelIds) }));
    if (this.head === 'linear' && this.objective.problemType === 'multi_label_classification') this.startBiasesAtPriors(weights.outBias);
    return { stepsPerEpoch: Math.max(1, Math.ceil(train.length / this.config.batchSize)) };
  }

  async trainStep(epoch: number, step: number): Promise<{ loss: number; samples: number; learningRate: number }> {
    const model = this.requireModel();
    const n = this.prepared.length;
    if (this.orderCache?.epoch !== epoch) this.orderCache = { epoch, order: epochOrder(n, this.plan.seed, epoch) };
    const order = this.orderCache.order;
    const start = step * this.config.batchSize;
    const end = Math.min(n, start + this.config.batchSize);
    // The rate decays linearly per example over the whole run (fastText's schedule); it depends only on the
    // position, so a resumed run replays it exactly without saved schedule state.
    const total = this.plan.epochs * n;
    let lossSum = 0;
    let learningRate = this.rate;
    const k = this.labels.length;
    const target = new Float32Array(k);
    const coefficients = { a: new Float32Array(k), b: this.objective.problemType === 'multi_label_classification' ? new Float32Array(k) : null };
    for (let i = start; i < end; i++) {
      learningRate = this.rate * Math.max(0, 1 - (epoch * n + i) / total);
      const ex = this.prepared[order[i]!]!;
      target.fill(0);
      for (const id of ex.gold) target[id] = 1;
      const { a, b } = lossCoefficients(target, k, this.objective, 1, coefficients);
      lossSum += sgdUpdate(model.weights, ex.rows, ex.weights, a, b, 0, learningRate, this.config.weightDecay, this.scratch!);
    }
    const samples = end - start;
    return { loss: samples > 0 ? lossSum / samples : 0, samples, learningRate };
  }

  /**
   * Multi-label, linear head: each label's bias starts at the constant logit that minimises its (weighted) loss,
   * log(Σ positive coefficients / Σ negative coefficients), i.e. the label's log-odds when unweighted. From zero
   * (p = 0.5) the first epoch of a rare label is spent pushing every line's p down; from its prior the feature
   * weights learn what sets its lines apart from the start. A label without positives (or negatives) keeps 0.
   */
  private startBiasesAtPriors(bias: Float32Array): void {
    const k = this.labels.length;
    const target = new Float32Array(k);
    const coefficients = { a: new Float32Array(k), b: new Float32Array(k) };
    const pos = new Float64Array(k);
    const neg = new Float64Array(k);
    for (const ex of this.prepared) {
      target.fill(0);
      for (const id of ex.gold) target[id] = 1;
      const { a, b } = lossCoefficients(target, k, this.objective, 1, coefficients);
      for (let c = 0; c < k; c++) {
        pos[c] += a[c]!;
        neg[c] += b![c]!;
      }
    }
    for (let c = 0; c < k; c++) bias[c] = pos[c]! > 0 && neg[c]! > 0 ? Math.log(pos[c]! / neg[c]!) : 0;
  }

  async predictProbs(texts: readonly string[]): Promise<Float32Array> {
    return this.requireModel().predictProbs(texts);
  }

  async saveCheckpoint(dir: string): Promise<void> {
    await this.requireModel().save(dir);
  }

  async loadCheckpoint(dir: string): Promise<void> {
    const loaded = await NgramModel.load(dir);
    const current = this.requireModel();
    if (loaded.labels.join('\n') !== this.labels.join('\n') || loaded.weights.rows !== current.weights.rows || loaded.weights.dim !== current.weights.dim || loaded.weights.pooling !== current.weights.pooling || loaded.weights.problemType !== this.objective.problemType || (loaded.weights.head ?? 'embedding') !== (current.weights.head ?? 'embedding')) {
      throw new EngineError(EngineErrorCodes.runState, 'the checkpoint does not match this dataset and configuration (labels, vocabulary or size differ)', { file: dir });
    }
    this.model = new NgramModel(this.labels, this.spec, current.vocabulary, loaded.weights);
  }

  async exportModel(dir: string): Promise<void> {
    await this.requireModel().save(dir);
  }

  dispose(): void {
    this.prepared = [];
    this.orderCache = undefined;
  }

  private requireModel(): NgramModel {
    if (!this.model) throw new Error('NgramClassifier: beginTraining or loadCheckpoint must come first');
    return this.model;
  }
}

/**
 * The built-in n-gram model for `config.model === 'ngram'`. Call `beginTraining` before anything else
 * (on resume, `beginTraining` then `loadCheckpoint`): the vocabulary is built from the training texts.
 * @param config the resolved run config (`learningRate`, `batchSize`, `weightDecay`, `ngram` options).
 * @param labels the label map, index = label id.
 */
export async function createNgramClassifier(config: TrainConfig, labels: readonly string[], objective: ClassificationObjective = singleLabelObjective): Promise<TrainableClassifier> {
  return new NgramClassifier(labels, config, objective);
}

/** The label ids of `example` (its list in a multi-label dataset), each checked against the map. */
function labelIdsOf(example: Example, labelIds: ReadonlyMap<string, number>): number[] {
  return exampleLabels(example).map((label) => {
    const id = labelIds.get(label);
    if (id === undefined) throw new EngineError(EngineErrorCodes.invalidDataset, `label "${label}" is not in the label map`, { file: example.file, line: example.line });
    return id;
  });
}
