import type { Example } from '../data/example';
import type { ModelDescription } from '../../common/runFolder/runRecord';
import type { OnnxExportOptions } from '../../protocol/model';

/** What run.json and the report say about a model: defined with the run-folder format (src/common/runFolder/runRecord.ts). */
export type { ModelDescription } from '../../common/runFolder/runRecord';

/**
 * The contract between the run orchestrator (`train/runTraining.ts`) and a model, whatever it is
 * (BERT in tfjs, the built-in n-gram model). The orchestrator owns epochs, evaluation, early stopping,
 * checkpoints on disk, metrics and events; the model owns its batches, optimiser, schedule and RNG.
 *
 * Call order used by the orchestrator: a new run is `beginTraining` → `trainStep`… (with `predictProbs` in
 * between for evaluations, `saveCheckpoint` into an existing empty folder); a resumed run is `beginTraining`
 * with the same data and plan → `loadCheckpoint` → `trainStep` from the saved (epoch, step) on. Restoring the
 * best epoch at the end is `loadCheckpoint`. Prediction-only use (`loadPredictor`) may call `loadCheckpoint`
 * without `beginTraining`. `trainStep(epoch, step)` must give the same result whatever happened before the
 * checkpoint it continues from (data order from seed and epoch, not from a running RNG).
 */
export interface TrainableClassifier {
  /** The label map, index = label id. */
  readonly labels: readonly string[];
  describe(): ModelDescription;
  /**
   * Prepare to train on `train` for `epochs` epochs (tokenise, build length-bucketed batches for every epoch
   * from `seed`, create the optimiser and the schedule). Returns the number of optimisation steps per epoch.
   */
  beginTraining(train: readonly Example[], plan: { epochs: number; seed: number }): Promise<{ stepsPerEpoch: number }>;
  /** One optimisation step (including gradient accumulation). `epoch` and `step` are 0-based. */
  trainStep(epoch: number, step: number): Promise<{ loss: number; samples: number; learningRate: number }>;
  /** Class probabilities in eval mode (no dropout), row-major `[texts.length × K]`. */
  predictProbs(texts: readonly string[]): Promise<Float32Array>;
  /** Everything needed to continue exactly: weights, optimiser moments, schedule position, RNG, data order. */
  saveCheckpoint(dir: string): Promise<void>;
  loadCheckpoint(dir: string): Promise<void>;
  /** A self-contained folder that prediction can load later (HF folder for BERT; documented format for n-gram). */
  exportModel(dir: string): Promise<void>;
  /**
   * The model as ONNX inside an exported folder: `<dir>/onnx/model.onnx` (float32, the same logits as
   * `predictProbs`' pre-activations) and, with `quantize: 'int8'`, `<dir>/onnx/model_quantized.onnx`; LoRA adapters
   * merged. Write them with nn/onnxExport.ts's `writeOnnxFiles` from the family's graph builder. Absent on models
   * with no ONNX graph (the n-gram model; a transformer family whose graph is not written yet): `exportRun` refuses.
   * @returns the absolute paths written
   * @throws EngineError(invalidOption) when this configuration's graph cannot be built (names the family and why)
   */
  exportOnnx?(dir: string, options?: OnnxExportOptions): Promise<string[]>;
  dispose(): void;
}

/** Where and how `TextEmbedder.embedTexts` works: its cache place, cancellation and progress. */
export interface EmbedTextsOptions {
  /** The dataset the texts come from: the cache goes to `<its folder>/.classifier-workbench/cache/features`. */
  dataset: string;
  /** Another cache folder. */
  cacheDir?: string;
  signal?: AbortSignal;
  /** Texts embedded so far of those the cache lacked. */
  onProgress?: (done: number, missing: number) => void;
}

/** The pooled vectors of `embedTexts`, and how many the encoder computed versus took from the cache. */
export interface EmbeddedTexts {
  /** `[texts.length × dim]`, row r = texts[r]. */
  vectors: Float32Array;
  dim: number;
  /** Distinct texts the encoder ran on in this call. */
  computed: number;
  /** Texts whose vector came from the cache. */
  reused: number;
  /** The cache file. */
  cacheFile: string;
}

/**
 * A model whose frozen encoder gives one pooled vector per text (the vectors feature-extraction mode trains its
 * head on). Label issues use it to encode every line once and train k linear heads on the same vectors.
 */
export interface TextEmbedder {
  /**
   * The encoder's pooled vector of every text, cached on disk under a key of the encoder's config and weights, its
   * max length and the texts (not the labels: relabelling lines keeps the cache; a changed text starts a new one).
   * @throws EngineError(cancelled) when `options.signal` aborts (the vectors computed so far stay cached).
   */
  embedTexts(texts: readonly string[], options: EmbedTextsOptions): Promise<EmbeddedTexts>;
}

/** Whether `classifier` can embed texts with a frozen encoder (the transformer families; not the n-gram model). */
export function isTextEmbedder(classifier: TrainableClassifier): classifier is TrainableClassifier & TextEmbedder {
  return typeof (classifier as Partial<TextEmbedder>).embedTexts === 'function';
}
