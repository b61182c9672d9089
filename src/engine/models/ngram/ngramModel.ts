// A trained (or training) n-gram model: feature spec + vocabulary + network weights + labels, with prediction
// and the on-disk format documented in docs/ngram-format.md (ngram.json + ngram.safetensors).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { hashNgramFeatures, type NgramFeatureSpec } from './ngramFeatures';
import { FeatureVocabulary } from './featureVocabulary';
import { createScratch, forwardExample, type NgramHead, type NgramWeights } from './ngramNetwork';
import { readSafetensors, writeSafetensors } from '../../tensorFiles/safetensors';
import { writeFileAtomic } from '../../atomicWrite';

export const NGRAM_FORMAT = 'classifier-workbench-ngram';
export const NGRAM_FORMAT_VERSION = 1;
export const NGRAM_HEADER_FILE = 'ngram.json';
export const NGRAM_WEIGHTS_FILE = 'ngram.safetensors';

/** The JSON header of a saved n-gram model. */
export interface NgramHeader {
  format: typeof NGRAM_FORMAT;
  version: number;
  labels: string[];
  features: NgramFeatureSpec;
  dim: number;
  rows: number;
  pooling: NgramWeights['pooling'];
  weights: string;
  /** Absent in files written before multi-label support: single-label. */
  problemType?: NgramWeights['problemType'];
  /** Per-label decision thresholds of a multi-label model (index = label id), when tuned. */
  thresholds?: number[];
  /**
   * `linear` when each feature row holds one weight per label and `output.weight` is the identity (ngramNetwork.ts);
   * absent: `embedding`. Prediction is the same formula either way; training needs to know.
   */
  head?: NgramHead;
}

export class NgramModel {
  constructor(
    readonly labels: readonly string[],
    readonly spec: NgramFeatureSpec,
    readonly vocabulary: FeatureVocabulary,
    readonly weights: NgramWeights,
    /** Multi-label decision thresholds saved with the model (export); prediction applies them. */
    public thresholds?: readonly number[],
  ) {}

  /** Parameters stored (a `linear` head's identity output layer included). */
  get parameterCount(): number {
    const w = this.weights;
    return w.embeddings.length + w.outWeight.length + w.outBias.length;
  }

  /** Parameters training changes: all but a `linear` head's fixed identity output layer. */
  get trainableParameterCount(): number {
    return this.parameterCount - (this.weights.head === 'linear' ? this.weights.outWeight.length : 0);
  }

  /** Class probabilities (multi-label: independent per label), row-major `[texts.length × K]`. */
  predictProbs(texts: readonly string[]): Float32Array {
    const k = this.labels.length;
    const out = new Float32Array(texts.length * k);
    const scratch = createScratch(this.weights);
    for (let i = 0; i < texts.length; i++) {
      const { rows, weights } = this.vocabulary.rowsOf(hashNgramFeatures(texts[i]!, this.spec));
      forwardExample(this.weights, rows, weights, scratch);
      out.set(scratch.probs, i * k);
    }
    return out;
  }

  /** Writes `ngram.json` and `ngram.safetensors` into `dir` (created if missing). */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const w = this.weights;
    const header: NgramHeader = {
      format: NGRAM_FORMAT,
      version: NGRAM_FORMAT_VERSION,
      labels: [...this.labels],
      features: this.spec,
      dim: w.dim,
      rows: w.rows,
      pooling: w.pooling,
      weights: NGRAM_WEIGHTS_FILE,
      problemType: w.problemType,
    };
    if (w.head === 'linear') header.head = 'linear';
    if (this.thresholds) header.thresholds = [...this.thresholds];
    await writeSafetensors(
      join(dir, NGRAM_WEIGHTS_FILE),
      {
        buckets: { data: this.vocabulary.buckets, shape: [w.rows] },
        ...(this.vocabulary.idf ? { idf: { data: this.vocabulary.idf, shape: [w.rows] } } : {}),
        embeddings: { data: w.embeddings, shape: [w.rows, w.dim] },
        'output.weight': { data: w.outWeight, shape: [w.numClasses, w.dim] },
        'output.bias': { data: w.outBias, shape: [w.numClasses] },
      },
      { classifier_workbench: NGRAM_FORMAT },
    );
    await writeFileAtomic(join(dir, NGRAM_HEADER_FILE), `${JSON.stringify(header, null, 2)}\n`);
  }

  /**
   * Loads a model saved by `save`.
   * @throws EngineError (invalidModel) naming the file when the header or weights are missing or inconsistent.
   */
  static async load(dir: string): Promise<NgramModel> {
    const headerPath = join(dir, NGRAM_HEADER_FILE);
    let header: NgramHeader;
    try {
      header = JSON.parse(await readFile(headerPath, 'utf8')) as NgramHeader;
    } catch (err) {
      throw new EngineError(EngineErrorCodes.invalidModel, `cannot read the n-gram model header (${(err as Error).message})`, { file: headerPath });
    }
    if (header.format !== NGRAM_FORMAT || header.version !== NGRAM_FORMAT_VERSION) {
      throw new EngineError(EngineErrorCodes.invalidModel, `not a version ${NGRAM_FORMAT_VERSION} ${NGRAM_FORMAT} header`, { file: headerPath });
    }
    const weightsPath = join(dir, header.weights);
    const tensors = await readSafetensors(weightsPath);
    const k = header.labels.length;
    const take = <T extends Float32Array | Int32Array>(name: string, kind: new (n: number) => T, length: number): T => {
      const t = tensors.get(name);
      if (!t || !(t.data instanceof kind) || t.data.length !== length) {
        throw new EngineError(EngineErrorCodes.invalidModel, `tensor ${name} is missing or has the wrong type or size (expected ${length} values)`, { file: weightsPath });
      }
      return t.data as T;
    };
    const weights: NgramWeights = {
      rows: header.rows,
      dim: header.dim,
      numClasses: k,
      pooling: header.pooling,
      problemType: header.problemType ?? 'single_label_classification',
      embeddings: take('embeddings', Float32Array, header.rows * header.dim),
      outWeight: take('output.weight', Float32Array, k * header.dim),
      outBias: take('output.bias', Float32Array, k),
    };
    if (!['mean', 'sqrt', 'l2'].includes(header.pooling)) {
      throw new EngineError(EngineErrorCodes.invalidModel, `"pooling" must be "mean", "sqrt" or "l2", got ${JSON.stringify(header.pooling)}`, { file: headerPath });
    }
    if (header.head !== undefined && header.head !== 'embedding' && header.head !== 'linear') {
      throw new EngineError(EngineErrorCodes.invalidModel, `"head" must be "embedding" or "linear", got ${JSON.stringify(header.head)}`, { file: headerPath });
    }
    if (header.head === 'linear') {
      if (header.dim !== k) throw new EngineError(EngineErrorCodes.invalidModel, `a linear head has one weight per label: "dim" must be ${k}, got ${header.dim}`, { file: headerPath });
      weights.head = 'linear';
    }
    const vocabulary = new FeatureVocabulary(take('buckets', Int32Array, header.rows), tensors.has('idf') ? take('idf', Float32Array, header.rows) : undefined);
    if (header.thresholds !== undefined && (!Array.isArray(header.thresholds) || header.thresholds.length !== k || !header.thresholds.every((t) => typeof t === 'number' && t >= 0 && t <= 1))) {
      throw new EngineError(EngineErrorCodes.invalidModel, `"thresholds" must be ${k} numbers between 0 and 1, one per label`, { file: headerPath });
    }
    return new NgramModel(header.labels, header.features, vocabulary, weights, header.thresholds);
  }
}
