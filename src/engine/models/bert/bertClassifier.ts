// BERT/DistilBERT behind the TrainableClassifier contract: full fine-tuning, LoRA and feature extraction, with
// AdamW, linear warm-up/decay, clipping, accumulation, length-bucketed batches and seeded reproducibility.
import { availableParallelism, totalmem } from 'node:os';
import { logitsToProbs, singleLabelObjective, type ClassificationObjective } from '../nn/classificationObjective';
import { labelIdsOf, loadTrainingCheckpoint, padTokenBatch, saveTrainingCheckpoint, shardLossOf } from '../nn/classifierTraining';
import type { TrainConfig } from '../../../protocol/train';
import type { Example } from '../../data/example';
import type { EmbeddedTexts, EmbedTextsOptions, ModelDescription, TextEmbedder, TrainableClassifier } from '../../classifier/trainableClassifier';
import { selectBackendOrFallback, type SelectedBackend } from '../../backend/selectBackend';
import { enableNativeMatMul, nativeMatMulUnavailable } from '../../backend/nativeMatMul';
import { describeMemoryPlan, memoryBudget, planTrainingMemory, type MemoryPlan } from './memoryEstimate';
import { loadBertModel, scratchModelDir, type LoadedBert } from './loadBertModel';
import { readBertConfig } from './bertConfig';
import type { LoraSettings } from './bertParams';
import { AdamW, clipScale, learningRateAt } from '../nn/adamW';
import { LocalRunner, WorkerRunner, type GradientRunner, type ShardJob } from './gradientRunner';
import type { ParamSpec } from '../nn/paramStore';
import { mixSeed } from '../../seededRandom';
import { planEpochBatches, planInferenceBatches } from '../nn/batchPlan';
import { FeatureCache, textKey } from '../nn/featureCache';
import { headLogits, headLossAndGrads } from '../nn/classifierHead';
import { exportBertModel } from './exportBertModel';
import { mergeLoraAdapters } from '../nn/lora';
import { exportOnnx } from './exportOnnx';
import type { OnnxExportOptions } from '../nn/onnxExport';
import { isClassifierModuleParam } from './weights';
import type { TokenBatch } from './embeddingLookup';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { freshWeightsNote } from '../nn/freshWeightsNote';

export interface BertClassifierOptions {
  /** The resolved model folder (when the caller already resolved a hub id or cache entry); default `config.model`. */
  modelDir?: string;
  /** Feature-extraction cache folder; default `<dataset folder>/.classifier-workbench/cache/features`. */
  cacheDir?: string;
  /** Progress notes (backend choice, cache reuse). */
  onLog?: (message: string) => void;
  /** Loss and output activation; default single-label, unweighted. */
  objective?: ClassificationObjective;
  /** `predict`: no training-memory refusal (see CreateClassifierOptions.purpose). */
  purpose?: 'train' | 'predict';
}

/**
 * A batch is cut into at least two shards (so results do not depend on how many workers compute them), more
 * when its rows × tokens exceed what the memory plan allows one shard.
 */
const minShardsPerBatch = 2;
const wordTable = 'embeddings.word_embeddings.weight';

/**
 * Creates a BERT-family classifier for `labels` from `config.model` (a HF folder, or `scratch`).
 * @returns a TrainableClassifier whose backend is already selected (see `describe().backend`)
 * @throws EngineError for an unusable model folder or option
 */
export async function createBertClassifier(config: TrainConfig, labels: string[], opts: BertClassifierOptions = {}): Promise<TrainableClassifier & BertClassifier> {
  const backend = await selectBackendOrFallback(config.backend, config.backendFallback === true);
  const lora: LoraSettings | undefined = config.mode === 'lora'
    ? { rank: config.lora?.rank ?? 8, alpha: config.lora?.alpha ?? 16, dropout: config.lora?.dropout ?? 0.1, targets: config.lora?.targets ?? ['query', 'value'] }
    : undefined;
  if (lora) {
    const bad = lora.targets.find((t) => !['query', 'key', 'value', 'output', 'intermediate', 'ffnOutput'].includes(t));
    if (bad) throw new EngineError(EngineErrorCodes.invalidOption, `Unknown LoRA target "${bad}": use query, key, value, output, intermediate or ffnOutput.`);
    if (!(lora.rank >= 1)) throw new EngineError(EngineErrorCodes.invalidOption, `LoRA rank must be at least 1, got ${lora.rank}.`);
  }
  const scratch = config.model === 'scratch';
  const dir = opts.modelDir ?? (scratch ? scratchModelDir() : config.model);
  // The memory plan needs only the config: a model that cannot train here is refused before 100s of MB load.
  const cfg = readBertConfig(dir);
  const nativeMissing = backend.name === 'wasm' ? nativeMatMulUnavailable() : 'not the wasm backend';
  const memory = planTrainingMemory({
    cfg, numLabels: labels.length, mode: config.mode, lora, batchSize: config.batchSize,
    maxLength: Math.min(config.maxLength, cfg.maxPositions), workers: config.workers, cores: availableParallelism(),
    nativeMatMul: nativeMissing === undefined, budget: memoryBudget(totalmem()), wasmBackend: backend.name === 'wasm' || backend.name === 'cpu',
  });
  if (memory.refusal && opts.purpose !== 'predict') {
    throw EngineError.worded(EngineErrorCodes.invalidOption, (surface) =>
      `${scratch ? 'scratch' : config.model} cannot be trained on this machine with these settings: ${describeMemoryPlan(memory)}. It does not fit: ${surface === 'vscode' && memory.editorRefusal ? memory.editorRefusal : memory.refusal}.`);
  }
  const model = await loadBertModel(dir, labels.length, { lora, seed: config.seed, allowHeadMismatch: true, labels });
  if (!scratch) {
    if (model.headNote) opts.onLog?.(model.headNote);
    if (model.reshapedHead.length) opts.onLog?.(`The checkpoint's classifier head has another shape than this model needs (${model.reshapedHead.join(', ')}): it is initialised anew.`);
    const fresh = model.initialised.filter((n) => !n.includes('lora_') && !model.reshapedHead.includes(n));
    if (fresh.some((n) => n.startsWith('classifier.')) && !model.headNote) opts.onLog?.(`The checkpoint has no trained classifier head: a new one is initialised for ${labels.join(', ')}.`);
    const others = fresh.filter((n) => !n.startsWith('classifier.'));
    if (others.length) opts.onLog?.(freshWeightsNote(others));
  }
  const c = new BertClassifier(config, labels, model, backend, lora, opts, scratch ? 'scratch' : config.model, memory);
  await c.startRunner();
  return c;
}

export class BertClassifier implements TrainableClassifier, TextEmbedder {
  private runner!: GradientRunner;
  private readonly trainable: Set<string>;
  private readonly trainableSpecs: ParamSpec[];
  private readonly grads: Float32Array;
  private adam?: AdamW;
  private trainIds: number[][] = [];
  /** Label ids of each training example (one, or a multi-label set). */
  private trainLabels: number[][] = [];
  private trainKeys: string[] = [];
  private seed = 0;
  private epochs = 0;
  private stepsPerEpoch = 0;
  private planCache?: { epoch: number; batches: number[][] };
  private cache?: FeatureCache;
  /** Token budget per text: the configured max length, never beyond the position table. */
  private readonly maxLength: number;
  private nativeNote?: string;
  private readonly objective: ClassificationObjective;

  constructor(
    private readonly config: TrainConfig, readonly labels: readonly string[], private readonly model: LoadedBert,
    private readonly backend: SelectedBackend, private readonly lora: LoraSettings | undefined,
    private readonly opts: BertClassifierOptions, private readonly source: string, private readonly memory: MemoryPlan,
  ) {
    this.objective = opts.objective ?? singleLabelObjective;
    const names = model.store.specs.map((s) => s.name);
    // Feature extraction trains the final linear layer on cached vectors; LoRA trains the adapters and the HF
    // `classifier` module, as peft's sequence-classification task does (RoBERTa/ELECTRA: both head layers).
    const head = (n: string): boolean => n.startsWith('classifier.');
    const loraHead = (n: string): boolean => isClassifierModuleParam(model.cfg, n);
    const pick = config.mode === 'full' ? (n: string) => !n.includes('lora_') : config.mode === 'lora' ? (n: string) => n.includes('lora_') || loraHead(n) : head;
    this.trainable = new Set(names.filter(pick));
    this.trainableSpecs = model.store.specs.filter((s) => this.trainable.has(s.name));
    this.grads = new Float32Array(model.store.size);
    this.maxLength = Math.min(config.maxLength, model.cfg.maxPositions - model.cfg.positionOffset);
  }

  /** Starts the compute: worker threads on single-core backends when more than one worker is asked for. */
  async startRunner(): Promise<void> {
    const { cfg, store } = this.model;
    const options = { trainable: this.trainable, lora: this.lora ? { scale: this.lora.alpha / this.lora.rank, dropout: this.lora.dropout } : undefined, layerwise: this.memory.layerwise, keptProductTokens: this.memory.keptProductTokens };
    const cores = availableParallelism();
    const workers = this.memory.replicas;
    const parallel = workers > 1 && (this.backend.name === 'wasm' || this.backend.name === 'cpu');
    const nativeThreads = Math.max(1, Math.floor(cores / (parallel ? workers : 1)));
    if (this.backend.name === 'wasm') this.nativeNote = parallel ? nativeMatMulUnavailable() : enableNativeMatMul(nativeThreads);
    this.runner = parallel ? await WorkerRunner.start(workers, cfg, store, options, this.backend.name, nativeThreads) : new LocalRunner(cfg, store, options);
  }

  describe(): ModelDescription {
    return {
      kind: this.model.cfg.modelType, source: this.source, mode: this.config.mode,
      parameters: this.model.store.specs.filter((s) => !s.name.includes('lora_')).reduce((n, s) => n + s.size, 0),
      trainableParameters: this.trainableSpecs.reduce((n, s) => n + s.size, 0),
      backend: `${this.backend.name}${this.runner.workers > 1 ? ` ×${this.runner.workers} workers` : ''}${this.backend.name === 'wasm' && !this.nativeNote ? ' + native matMul (onnxruntime)' : ''}`,
      backendNote: [this.backend.note, this.nativeNote].filter(Boolean).join('; ') || undefined,
      memory: { estimatedBytes: this.memory.estimatedBytes, summary: describeMemoryPlan(this.memory) },
      maxLength: this.maxLength,
    };
  }

  /** Loss coefficients `[rows × K]` of training examples `rows` (classificationObjective.ts), scaled by `scale`. */
  private lossOf(rows: readonly number[], scale: number): { lossA: Float32Array; lossB: Float32Array | null } {
    return shardLossOf(this.trainLabels, rows, this.labels.length, this.objective, scale);
  }

  async beginTraining(train: readonly Example[], plan: { epochs: number; seed: number }): Promise<{ stepsPerEpoch: number }> {
    const { tokenizer } = this.model;
    this.trainIds = train.map((e) => tokenizer.encode(e.text, this.maxLength));
    this.trainLabels = labelIdsOf(this.labels, train);
    this.trainKeys = train.map((e) => textKey(e.text));
    this.seed = plan.seed;
    this.epochs = plan.epochs;
    const batches = Math.ceil(train.length / this.config.batchSize);
    this.stepsPerEpoch = Math.ceil(batches / Math.max(1, this.config.gradientAccumulation));
    this.adam = new AdamW(this.trainableSpecs, { weightDecay: this.config.weightDecay });
    if (this.trainable.has(wordTable)) this.adam.setRowSparse(wordTable, this.model.cfg.vocabSize, this.model.cfg.embeddingSize);
    this.planCache = undefined;
    if (this.config.mode === 'feature-extraction') await this.prepareFeatures(train);
    return { stepsPerEpoch: this.stepsPerEpoch };
  }

  private epochPlan(epoch: number): number[][] {
    if (this.planCache?.epoch !== epoch) {
      this.planCache = { epoch, batches: planEpochBatches(this.trainIds.map((t) => t.length), this.config.batchSize, this.seed, epoch) };
    }
    return this.planCache.batches;
  }

  /** Pads the given examples' ids into a batch (dynamic padding to the longest row). */
  private packBatch(ids: readonly number[][]): TokenBatch {
    return padTokenBatch(ids, 0);
  }


  async trainStep(epoch: number, step: number): Promise<{ loss: number; samples: number; learningRate: number }> {
    if (!this.adam) throw new Error('beginTraining must be called before trainStep');
    const accumulation = Math.max(1, this.config.gradientAccumulation);
    const micro = this.epochPlan(epoch).slice(step * accumulation, (step + 1) * accumulation);
    const samples = micro.reduce((n, b) => n + b.length, 0);
    const globalStep = epoch * this.stepsPerEpoch + step;
    let loss: number;
    if (this.config.mode === 'feature-extraction') {
      loss = this.headGradients(micro, globalStep, samples);
    } else {
      const shards: ShardJob[] = [];
      micro.forEach((rows, m) => {
        const seqLen = Math.max(...rows.map((i) => this.trainIds[i].length));
        // Shard count from rows × tokens against the plan's budget (rows at maxLength): data, not worker count.
        const count = Math.max(minShardsPerBatch, Math.ceil((rows.length * seqLen) / (this.memory.shardRows * this.maxLength)));
        const per = Math.ceil(rows.length / count);
        for (let s = 0; s < count && s * per < rows.length; s++) {
          const part = rows.slice(s * per, (s + 1) * per);
          const batch = this.packBatch(part.map((i) => this.trainIds[i]));
          shards.push({ ...batch, ...this.lossOf(part, 1 / samples), dropoutSeed: mixSeed(this.seed, globalStep, m, s) });
        }
      });
      loss = await this.runner.gradients(shards, this.grads);
      for (const rows of micro) for (const i of rows) this.adam.touchRows(wordTable, this.trainIds[i]);
    }
    // Clipping's scale is applied inside the update (one pass over the buffer fewer).
    const gradScale = clipScale(this.adam.gradientNorm(this.grads), this.config.maxGradNorm);
    const total = this.stepsPerEpoch * this.epochs;
    const lr = learningRateAt(globalStep, total, Math.floor(this.config.warmupRatio * total), this.config.learningRate);
    this.adam.update(this.model.store.data, this.grads, lr, gradScale);
    this.runner.trainableChanged();
    return { loss, samples, learningRate: lr };
  }

  // ---- feature extraction: the frozen encoder's pooled vectors, computed once and cached on disk

  private async prepareFeatures(train: readonly Example[]): Promise<void> {
    const { cfg, store } = this.model;
    this.cache = await FeatureCache.forEncoder({ configRaw: cfg.raw, store, dim: cfg.hiddenSize }, this.maxLength, this.trainKeys, { dataset: this.config.dataset, cacheDir: this.opts.cacheDir });
    await this.features(train.map((e) => e.text));
    this.opts.onLog?.(`Feature cache ${this.cache.file}: ${this.cache.hits} vectors reused, ${this.cache.computed} computed by the encoder.`);
  }

  /** Pooled vectors `[texts.length, hidden]`, from the cache or computed (and cached). */
  private features(texts: readonly string[]): Promise<Float32Array> {
    return this.cache!.vectorsFor(texts, (missing) => this.pooled(missing.map((i) => texts[i])));
  }

  /** The frozen encoder's pooled vectors of `texts`, `[texts.length, hidden]` (length-bucketed batches). */
  private async pooled(texts: readonly string[]): Promise<Float32Array> {
    const h = this.model.cfg.hiddenSize;
    const ids = texts.map((t) => this.model.tokenizer.encode(t, this.maxLength));
    const plan = planInferenceBatches(ids.map((r) => r.length), this.memory.inferenceRows);
    const pooled = await this.runner.infer(plan.map((b) => this.packBatch(b.map((j) => ids[j]))), 'pooled');
    const out = new Float32Array(texts.length * h);
    plan.forEach((b, bi) => b.forEach((j, r) => out.set(pooled[bi].subarray(r * h, (r + 1) * h), j * h)));
    return out;
  }

  async embedTexts(texts: readonly string[], options: EmbedTextsOptions): Promise<EmbeddedTexts> {
    const { cfg, store } = this.model;
    const cache = await FeatureCache.forEncoder({ configRaw: cfg.raw, store, dim: cfg.hiddenSize }, this.maxLength, texts.map(textKey), { dataset: options.dataset, cacheDir: options.cacheDir ?? this.opts.cacheDir });
    const vectors = await cache.vectorsInChunks(texts, (missing) => this.pooled(missing.map((i) => texts[i])), options);
    return { vectors, dim: cfg.hiddenSize, computed: cache.computed, reused: cache.hits, cacheFile: cache.file };
  }

  private featureRows(rows: number[]): Float32Array {
    return this.cache!.rows(rows.map((i) => this.trainKeys[i]));
  }

  private headGradients(micro: number[][], globalStep: number, samples: number): number {
    for (const s of this.trainableSpecs) this.grads.fill(0, s.offset, s.offset + s.size);
    let loss = 0;
    micro.forEach((rows, m) => {
      loss += headLossAndGrads(this.model.store, this.featureRows(rows), this.lossOf(rows, 1 / samples), this.model.cfg.classifierDropout, mixSeed(this.seed, globalStep, m), this.grads);
    });
    return loss;
  }

  // ---- inference, checkpoints, export

  async predictProbs(texts: readonly string[]): Promise<Float32Array> {
    const k = this.labels.length;
    if (texts.length === 0) return new Float32Array(0);
    if (this.config.mode === 'feature-extraction' && this.cache) {
      return logitsToProbs(headLogits(this.model.store, await this.features(texts), texts.length), k, this.objective.problemType);
    }
    const ids = texts.map((t) => this.model.tokenizer.encode(t, this.maxLength));
    const plan = planInferenceBatches(ids.map((r) => r.length), this.memory.inferenceRows);
    const logits = await this.runner.infer(plan.map((b) => this.packBatch(b.map((j) => ids[j]))), 'logits');
    const out = new Float32Array(texts.length * k);
    plan.forEach((b, bi) => b.forEach((j, r) => out.set(logits[bi].subarray(r * k, (r + 1) * k), j * k)));
    return logitsToProbs(out, k, this.objective.problemType);
  }

  async saveCheckpoint(dir: string): Promise<void> {
    await saveTrainingCheckpoint(dir, this.model.store, this.adam, { seed: this.seed, mode: this.config.mode, labels: this.labels });
  }

  async loadCheckpoint(dir: string): Promise<void> {
    await loadTrainingCheckpoint(dir, this.model.store, this.adam);
    this.runner.allChanged();
  }

  async exportModel(dir: string): Promise<void> {
    const store = this.lora ? mergeLoraAdapters(this.model.store, this.lora.alpha / this.lora.rank) : this.model.store;
    await exportBertModel(dir, this.model.cfg, store, this.labels, this.model.dir);
  }

  /** See TrainableClassifier.exportOnnx: `<dir>/onnx/model.onnx` (+ int8), LoRA merged. DeBERTa: refused for now. */
  async exportOnnx(dir: string, options: OnnxExportOptions = {}): Promise<string[]> {
    const store = this.lora ? mergeLoraAdapters(this.model.store, this.lora.alpha / this.lora.rank) : this.model.store;
    return exportOnnx(dir, this.model.cfg, store, options);
  }

  /** For tests and benchmarks: how many texts the frozen encoder embedded vs. took from the cache. */
  featureCacheStats(): { hits: number; computed: number; file: string } | undefined {
    return this.cache ? { hits: this.cache.hits, computed: this.cache.computed, file: this.cache.file } : undefined;
  }

  /** For tests: the parameter buffer and its layout (read-only use). */
  parameters(): { specs: readonly ParamSpec[]; data: Float32Array } {
    return { specs: this.model.store.specs, data: this.model.store.data };
  }

  dispose(): void {
    void this.runner.dispose();
  }
}
