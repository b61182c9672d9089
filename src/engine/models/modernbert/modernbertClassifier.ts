// ModernBERT behind the TrainableClassifier contract: full fine-tuning, LoRA and feature extraction, with AdamW,
// linear warm-up/decay, clipping, accumulation, length-bucketed batches and seeded reproducibility, on this thread's
// backend (no worker replicas; layer-wise gradients when the memory plan says so: nn/trainingMemory.ts).
import type { TrainConfig } from '../../../protocol/train';
import type { Example } from '../../data/example';
import type { EmbeddedTexts, EmbedTextsOptions, ModelDescription, TextEmbedder, TrainableClassifier } from '../../classifier/trainableClassifier';
import { selectBackendOrFallback, type SelectedBackend } from '../../backend/selectBackend';
import { enableNativeMatMul, nativeMatMulUnavailable } from '../../backend/nativeMatMul';
import { describeMemoryPlan, memoryBudget, planEncoderMemory, type EncoderSizes, type MemoryPlan } from '../nn/trainingMemory';
import type { ModernBertConfig } from './modernbertConfig';
import { availableParallelism, totalmem } from 'node:os';
import { logitsToProbs, singleLabelObjective, type ClassificationObjective } from '../nn/classificationObjective';
import { labelIdsOf, loadTrainingCheckpoint, padTokenBatch, saveTrainingCheckpoint, shardLossOf } from '../nn/classifierTraining';
import { AdamW, clipScale, learningRateAt } from '../nn/adamW';
import { layoutParams, type ParamSpec, type ParamStore } from '../nn/paramStore';
import { planEpochBatches, planInferenceBatches } from '../nn/batchPlan';
import { FeatureCache, textKey } from '../nn/featureCache';
import { headLogits, headLossAndGrads } from '../nn/classifierHead';
import { mergeLoraAdapters } from '../nn/lora';
import { writeHfClassifierFolder } from '../nn/hfClassifierFolder';
import { mixSeed } from '../../seededRandom';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { loadModernBertModel, readModernBertConfig, type LoadedModernBert } from './loadModernBertModel';
import { ModernBertCompute, type TokenBatch } from './modernbertCompute';
import { loraModules, modernBertParamShapes, tokEmbeddings, toModernBertHfTensors, type ModernBertLora } from './modernbertParams';
import { freshWeightsNote } from '../nn/freshWeightsNote';
import type { OnnxExportOptions } from '../nn/onnxExport';
import { exportModernBertOnnx } from './exportModernBertOnnx';

export interface ModernBertClassifierOptions {
  /** Feature-extraction cache folder; default `<dataset folder>/.classifier-workbench/cache/features`. */
  cacheDir?: string;
  onLog?: (message: string) => void;
  objective?: ClassificationObjective;
  /** `predict` (loading a trained model): no training-memory refusal. */
  purpose?: 'train' | 'predict';
}

/**
 * The parameter counts the memory plan needs (nn/trainingMemory.ts), from the layout alone (no weights read).
 * @param lora the adapters of a LoRA run (counted in mode "lora" only)
 */
export function modernBertSizes(cfg: ModernBertConfig, numLabels: number, mode: TrainConfig['mode'], lora?: ModernBertLora): EncoderSizes {
  const specs = layoutParams(modernBertParamShapes(cfg, numLabels, mode === 'lora' ? lora : undefined));
  const trains = trainablePick(mode);
  // Layer 0 has no attn_norm: a later layer is the typical one.
  const layerPrefix = `layers.${Math.min(1, cfg.numLayers - 1)}.`;
  const sum = (keep: (s: ParamSpec) => boolean): number => specs.filter(keep).reduce((n, s) => n + s.size, 0);
  return {
    numLayers: cfg.numLayers, hiddenSize: cfg.hiddenSize, numHeads: cfg.numHeads,
    params: {
      all: sum(() => true), base: sum((s) => !s.name.includes('lora_')), trainable: sum((s) => trains(s.name)),
      tfjs: sum((s) => s.name !== tokEmbeddings), layer: sum((s) => s.name.startsWith(layerPrefix)),
    },
  };
}

/** Which parameters train in a mode (internal names). */
function trainablePick(mode: TrainConfig['mode']): (name: string) => boolean {
  const classifier = (n: string): boolean => n.startsWith('classifier.');
  return mode === 'full' ? (n) => !n.includes('lora_') : mode === 'lora' ? (n) => n.includes('lora_') || classifier(n) : classifier;
}

/** The token budget per text: the configured max length, never beyond what the checkpoint was trained for. */
function maxLengthOf(config: TrainConfig, loaded: LoadedModernBert): number {
  return Math.min(config.maxLength, loaded.cfg.maxPositions, loaded.tokenizer.modelMaxLength);
}

/**
 * Creates a ModernBERT classifier for `labels` from the folder `modelDir`.
 * @throws EngineError for an unusable model folder or option
 */
export async function createModernBertClassifier(config: TrainConfig, labels: string[], modelDir: string, opts: ModernBertClassifierOptions = {}): Promise<ModernBertClassifier> {
  const backend = await selectBackendOrFallback(config.backend, config.backendFallback === true);
  let lora: ModernBertLora | undefined;
  if (config.mode === 'lora') {
    const targets = config.lora?.targets ?? ['query', 'value'];
    const bad = targets.find((t) => !(t in loraModules));
    if (bad) throw new EngineError(EngineErrorCodes.invalidOption, `Unknown LoRA target "${bad}": use query, key, value (ModernBERT's fused Wqkv), output, intermediate or ffnOutput.`);
    const rank = config.lora?.rank ?? 8;
    if (!(rank >= 1)) throw new EngineError(EngineErrorCodes.invalidOption, `LoRA rank must be at least 1, got ${rank}.`);
    lora = { rank, alpha: config.lora?.alpha ?? 16, dropout: config.lora?.dropout ?? 0.1, modules: [...new Set(targets.map((t) => loraModules[t]!))] };
  }
  // Refused from config.json, before the weights load, when the run cannot fit (the backend's heap or the budget).
  const cfg = readModernBertConfig(modelDir);
  const otherLora: ModernBertLora = lora ?? { rank: 8, alpha: 16, dropout: 0, modules: ['attn.Wqkv'] };
  const memory = planEncoderMemory({
    sizes: (mode) => modernBertSizes(cfg, labels.length, mode, mode === config.mode ? lora : otherLora),
    mode: config.mode, batchSize: config.batchSize, maxLength: Math.min(config.maxLength, cfg.maxPositions),
    // No worker replicas for ModernBERT: one compute on this thread.
    workers: 1, cores: availableParallelism(), nativeMatMul: backend.name === 'wasm' && nativeMatMulUnavailable() === undefined,
    budget: memoryBudget(totalmem()), wasmBackend: backend.name === 'wasm' || backend.name === 'cpu',
  });
  if (memory.refusal && opts.purpose !== 'predict') {
    throw EngineError.worded(EngineErrorCodes.invalidOption, (surface) =>
      `${config.model} cannot be trained on this machine with these settings: ${describeMemoryPlan(memory)}. It does not fit: ${surface === 'vscode' && memory.editorRefusal ? memory.editorRefusal : memory.refusal}.`);
  }
  const model = await loadModernBertModel(modelDir, labels.length, { lora, seed: config.seed, allowHeadMismatch: true, labels });
  if (model.headNote) opts.onLog?.(model.headNote);
  if (model.reshapedHead.length) opts.onLog?.(`The checkpoint's classifier has another shape than this model needs (${model.reshapedHead.join(', ')}): it is initialised anew.`);
  const fresh = model.initialised.filter((n) => !n.includes('lora_') && !model.reshapedHead.includes(n));
  if (fresh.some((n) => n.startsWith('classifier.')) && !model.headNote) opts.onLog?.(`The checkpoint has no trained classifier: a new one is initialised for ${labels.join(', ')}.`);
  const others = fresh.filter((n) => !n.startsWith('classifier.'));
  if (others.length) opts.onLog?.(freshWeightsNote(others));
  let nativeNote: string | undefined;
  if (backend.name === 'wasm') nativeNote = enableNativeMatMul(availableParallelism());
  return new ModernBertClassifier(config, labels, model, backend, lora, opts, nativeNote, memory);
}

export class ModernBertClassifier implements TrainableClassifier, TextEmbedder {
  private readonly compute: ModernBertCompute;
  private readonly trainable: Set<string>;
  private readonly trainableSpecs: ParamSpec[];
  private readonly grads: Float32Array;
  private adam?: AdamW;
  private trainIds: number[][] = [];
  private trainLabels: number[][] = [];
  private trainKeys: string[] = [];
  private seed = 0;
  private epochs = 0;
  private stepsPerEpoch = 0;
  private planCache?: { epoch: number; batches: number[][] };
  private cache?: FeatureCache;
  private readonly maxLength: number;
  private readonly objective: ClassificationObjective;

  constructor(
    private readonly config: TrainConfig, readonly labels: readonly string[], private readonly model: LoadedModernBert,
    private readonly backend: SelectedBackend, private readonly lora: ModernBertLora | undefined,
    private readonly opts: ModernBertClassifierOptions, private readonly nativeNote: string | undefined,
    private readonly memory: MemoryPlan,
  ) {
    this.objective = opts.objective ?? singleLabelObjective;
    // Feature extraction trains the classifier on cached head outputs; LoRA trains the adapters and the HF
    // `classifier` module (peft's modules_to_save for sequence classification); the pretrained head stays frozen.
    this.trainable = new Set(model.store.specs.map((s) => s.name).filter(trainablePick(config.mode)));
    this.trainableSpecs = model.store.specs.filter((s) => this.trainable.has(s.name));
    this.grads = new Float32Array(model.store.size);
    this.maxLength = maxLengthOf(config, model);
    this.compute = new ModernBertCompute(model.cfg, model.store, { trainable: this.trainable, lora: lora ? { scale: lora.alpha / lora.rank, dropout: lora.dropout } : undefined, layerwise: memory.layerwise });
  }

  describe(): ModelDescription {
    const parameters = this.model.store.specs.filter((s) => !s.name.includes('lora_')).reduce((n, s) => n + s.size, 0);
    return {
      kind: 'modernbert', source: this.config.model, mode: this.config.mode, parameters,
      trainableParameters: this.trainableSpecs.reduce((n, s) => n + s.size, 0),
      backend: `${this.backend.name}${this.backend.name === 'wasm' && !this.nativeNote ? ' + native matMul (onnxruntime)' : ''}`,
      backendNote: [this.backend.note, this.nativeNote].filter(Boolean).join('; ') || undefined,
      maxLength: this.maxLength,
      memory: { estimatedBytes: this.memory.estimatedBytes, summary: describeMemoryPlan(this.memory) },
    };
  }

  /** Loss coefficients `[rows × K]` of training examples `rows` (classificationObjective.ts), scaled by `scale`. */
  private lossOf(rows: readonly number[], scale: number): { lossA: Float32Array; lossB: Float32Array | null } {
    return shardLossOf(this.trainLabels, rows, this.labels.length, this.objective, scale);
  }

  async beginTraining(train: readonly Example[], plan: { epochs: number; seed: number }): Promise<{ stepsPerEpoch: number }> {
    this.trainIds = train.map((e) => this.model.tokenizer.encode(e.text, this.maxLength));
    this.trainLabels = labelIdsOf(this.labels, train);
    this.trainKeys = train.map((e) => textKey(e.text));
    this.seed = plan.seed;
    this.epochs = plan.epochs;
    this.stepsPerEpoch = Math.ceil(Math.ceil(train.length / this.config.batchSize) / Math.max(1, this.config.gradientAccumulation));
    this.adam = new AdamW(this.trainableSpecs, { weightDecay: this.config.weightDecay });
    if (this.trainable.has(tokEmbeddings)) this.adam.setRowSparse(tokEmbeddings, this.model.cfg.vocabSize, this.model.cfg.hiddenSize);
    this.planCache = undefined;
    if (this.config.mode === 'feature-extraction') await this.prepareFeatures(train);
    return { stepsPerEpoch: this.stepsPerEpoch };
  }

  private epochPlan(epoch: number): number[][] {
    if (this.planCache?.epoch !== epoch) this.planCache = { epoch, batches: planEpochBatches(this.trainIds.map((t) => t.length), this.config.batchSize, this.seed, epoch) };
    return this.planCache.batches;
  }

  /** Right-pads the given ids into a batch (dynamic padding to the longest row). */
  private packBatch(ids: readonly number[][]): TokenBatch {
    return padTokenBatch(ids, this.model.cfg.padTokenId);
  }


  async trainStep(epoch: number, step: number): Promise<{ loss: number; samples: number; learningRate: number }> {
    if (!this.adam) throw new Error('beginTraining must be called before trainStep');
    const accumulation = Math.max(1, this.config.gradientAccumulation);
    const micro = this.epochPlan(epoch).slice(step * accumulation, (step + 1) * accumulation);
    const samples = micro.reduce((n, b) => n + b.length, 0);
    const globalStep = epoch * this.stepsPerEpoch + step;
    for (const s of this.trainableSpecs) this.grads.fill(0, s.offset, s.offset + s.size);
    let loss = 0;
    micro.forEach((rows, m) => {
      if (this.config.mode === 'feature-extraction') {
        loss += headLossAndGrads(this.model.store, this.featureRows(rows), this.lossOf(rows, 1 / samples), this.model.cfg.classifierDropout, mixSeed(this.seed, globalStep, m), this.grads);
        return;
      }
      // Shards by rows × tokens against the plan's budget (shardRows texts at maxLength).
      const seqLen = Math.max(...rows.map((i) => this.trainIds[i].length));
      const per = Math.ceil(rows.length / Math.ceil((rows.length * seqLen) / (this.memory.shardRows * this.maxLength)));
      for (let s = 0; s * per < rows.length; s++) {
        const part = rows.slice(s * per, (s + 1) * per);
        const batch = this.packBatch(part.map((i) => this.trainIds[i]));
        loss += this.compute.lossAndGrads(batch, this.lossOf(part, 1 / samples), mixSeed(this.seed, globalStep, m, s), this.grads);
        this.adam!.touchRows(tokEmbeddings, ModernBertCompute.tokenRows(batch));
      }
    });
    // Clipping's scale is applied inside the update (one pass over the buffer fewer).
    const gradScale = clipScale(this.adam.gradientNorm(this.grads), this.config.maxGradNorm);
    const total = this.stepsPerEpoch * this.epochs;
    const lr = learningRateAt(globalStep, total, Math.floor(this.config.warmupRatio * total), this.config.learningRate);
    this.adam.update(this.model.store.data, this.grads, lr, gradScale);
    this.compute.invalidateTrainable();
    return { loss, samples, learningRate: lr };
  }

  // ---- feature extraction: the frozen encoder and head's outputs, computed once and cached on disk

  private async prepareFeatures(train: readonly Example[]): Promise<void> {
    const { cfg, store } = this.model;
    this.cache = await FeatureCache.forEncoder({ configRaw: cfg.raw, store, dim: cfg.hiddenSize }, this.maxLength, this.trainKeys, { dataset: this.config.dataset, cacheDir: this.opts.cacheDir });
    await this.features(train.map((e) => e.text));
    this.opts.onLog?.(`Feature cache ${this.cache.file}: ${this.cache.hits} vectors reused, ${this.cache.computed} computed by the encoder.`);
  }

  /** Head outputs `[texts.length, hidden]`, from the cache or computed (and cached). */
  private features(texts: readonly string[]): Promise<Float32Array> {
    const h = this.model.cfg.hiddenSize;
    return this.cache!.vectorsFor(texts, (missing) => this.inferBatches(missing.map((i) => texts[i]), (b) => this.compute.features(b), h));
  }

  private featureRows(rows: number[]): Float32Array {
    return this.cache!.rows(rows.map((i) => this.trainKeys[i]));
  }

  async embedTexts(texts: readonly string[], options: EmbedTextsOptions): Promise<EmbeddedTexts> {
    const { cfg, store } = this.model;
    const h = cfg.hiddenSize;
    const cache = await FeatureCache.forEncoder({ configRaw: cfg.raw, store, dim: h }, this.maxLength, texts.map(textKey), { dataset: options.dataset, cacheDir: options.cacheDir ?? this.opts.cacheDir });
    const vectors = await cache.vectorsInChunks(texts, (missing) => this.inferBatches(missing.map((i) => texts[i]), (b) => this.compute.features(b), h), options);
    return { vectors, dim: h, computed: cache.computed, reused: cache.hits, cacheFile: cache.file };
  }

  /** Runs `run` over length-sorted batches of `texts` and returns its rows `[texts.length, width]` in text order. */
  private inferBatches(texts: readonly string[], run: (b: TokenBatch) => Float32Array, width: number): Float32Array {
    const ids = texts.map((t) => this.model.tokenizer.encode(t, this.maxLength));
    const out = new Float32Array(texts.length * width);
    for (const b of planInferenceBatches(ids.map((r) => r.length), this.memory.inferenceRows)) {
      const values = run(this.packBatch(b.map((j) => ids[j])));
      b.forEach((j, r) => out.set(values.subarray(r * width, (r + 1) * width), j * width));
    }
    return out;
  }

  // ---- inference, checkpoints, export

  async predictProbs(texts: readonly string[]): Promise<Float32Array> {
    const k = this.labels.length;
    if (texts.length === 0) return new Float32Array(0);
    const logits = this.config.mode === 'feature-extraction' && this.cache
      ? headLogits(this.model.store, await this.features(texts), texts.length)
      : this.inferBatches(texts, (b) => this.compute.logits(b), k);
    return logitsToProbs(logits, k, this.objective.problemType);
  }

  async saveCheckpoint(dir: string): Promise<void> {
    await saveTrainingCheckpoint(dir, this.model.store, this.adam, { seed: this.seed, mode: this.config.mode, labels: this.labels });
  }

  async loadCheckpoint(dir: string): Promise<void> {
    await loadTrainingCheckpoint(dir, this.model.store, this.adam);
    this.compute.invalidateAll();
  }

  /** A `ModernBertForSequenceClassification` folder (LoRA merged) that transformers and this engine load as is. */
  async exportModel(dir: string): Promise<void> {
    await writeHfClassifierFolder(dir, this.model.cfg.raw, 'ModernBertForSequenceClassification', this.labels, toModernBertHfTensors(this.model.cfg, this.mergedStore()), this.model.dir, this.model.cfg.maxPositions);
  }

  /** See TrainableClassifier.exportOnnx: `<dir>/onnx/model.onnx` (+ int8), LoRA merged. */
  async exportOnnx(dir: string, options: OnnxExportOptions = {}): Promise<string[]> {
    return exportModernBertOnnx(dir, this.model.cfg, this.mergedStore(), options);
  }

  /** The store with LoRA adapters merged into their weights (the store itself without adapters). */
  private mergedStore(): ParamStore {
    return this.lora ? mergeLoraAdapters(this.model.store, this.lora.alpha / this.lora.rank) : this.model.store;
  }

  /** For tests: the parameter buffer and its layout (read-only use). */
  parameters(): { specs: readonly ParamSpec[]; data: Float32Array } {
    return { specs: this.model.store.specs, data: this.model.store.data };
  }

  dispose(): void {
    this.compute.dispose();
  }
}
