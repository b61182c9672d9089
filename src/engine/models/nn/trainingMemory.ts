// How much memory an encoder's training run needs, before any weight is loaded: the parameter counts (from the
// config), the optimiser and gradient buffers on the main thread, and per compute replica the 4 GB wasm heap's
// share (weights, autograd copies, activations). From it: how many rows a shard may hold, whether the whole-graph
// or the layer-wise backward pass (nn/layerwiseGradients.ts) is used, how many replicas run, and whether the run
// fits at all. Shared by BERT and its relatives (bert/memoryEstimate.ts) and ModernBERT; the activation figures are
// calibrated on BERT-base and used for every pre-/post-norm encoder of that shape.

import { option, type MessageSurface } from '../../../common/optionWording';
import { EngineErrorCodes } from '../../../protocol/errors';
import { EngineError } from '../../errors';

export type TrainMode = 'full' | 'lora' | 'feature-extraction';

/**
 * Bytes of activations that autograd keeps per token and encoder layer, as a multiple of hidden size, plus the
 * attention tensors (`heads × seqLen` floats, several of them). Calibrated on BERT-base (12 × 768) on wasm:
 * the heap grew by ~5.2 MB per token with the whole graph recorded (docs/performance.md).
 */
const activationFloatsPerHidden = 140;
const attentionTensors = 8;
/**
 * A recomputed layer's transient tensors per token, as a multiple of hidden size (forward + its backward, and
 * the heap's growth slack). Calibrated on BERT-base: 517 MB of heap at 4 × 32 tokens, 1056 MB at 16 × 64.
 */
const layerFloatsPerHidden = 130;
/** The wasm heap can grow to 4 GB; growth overshoots and fragments, so plan for this much of it. */
export const wasmHeapBudget = 3.2e9;
/** Activations one shard may hold: bigger shards barely speed products up and only cost memory. */
const shardActivationBudget = 0.8e9;
/** Fewest rows per whole-graph shard (at maxLength) worth having; below it the layer-wise path is used. */
const minWholeGraphRows = 8;
/** Node, the tokenizer, the data and code: measured RSS of the engine before a model loads. */
const baseProcessBytes = 350e6;
const f32 = 4;

/** Parameter counts of a model in one mode (see EncoderSizes). */
export interface ParameterCounts {
  /** Every tensor, adapters included. */
  all: number;
  /** Without LoRA adapters: the model's own size. */
  base: number;
  /** Those that train in the mode. */
  trainable: number;
  /** Those uploaded to the backend (not the embedding tables gathered in JS). */
  tfjs: number;
  /** One encoder layer's. */
  layer: number;
}

/** The sizes a plan needs: the encoder's depth and widths, and its parameter counts in a mode. */
export interface EncoderSizes {
  numLayers: number;
  hiddenSize: number;
  numHeads: number;
  params: ParameterCounts;
  /**
   * Floats per token and layer of the dense layers' outputs (BERT: q, k, v, attention output, feed-forward up and
   * down = 5·hidden + intermediate), when the encoder can keep them between the layer-wise passes
   * (nn/productCache.ts); absent: it cannot.
   */
  productFloatsPerToken?: number;
}

export interface EncoderPlanInput {
  /** The model's sizes in each mode (the refusal suggests the other modes that would fit). */
  sizes(mode: TrainMode): EncoderSizes;
  mode: TrainMode;
  batchSize: number;
  /** Token budget per text (tokens of the longest text in a batch, at most this). */
  maxLength: number;
  /** Replicas asked for (the config's `workers`; 0 = decide). */
  workers: number;
  cores: number;
  /** Whether the products run natively (then one replica already uses every core). */
  nativeMatMul: boolean;
  /** Bytes the run may use (default: see memoryBudget). */
  budget: number;
  /**
   * The backend computes in the 4 GB wasm heap and runs its replicas as worker threads (wasm, cpu: true), or is
   * a native tfjs backend with neither limit nor replicas (false). Default true.
   */
  wasmBackend?: boolean;
}

export interface MemoryPlan {
  parameters: number;
  trainableParameters: number;
  /** Estimated peak resident memory of the training process, bytes. */
  estimatedBytes: number;
  /** The estimate's parts, bytes. */
  parts: { weightsAndOptimizer: number; perReplica: number; replicas: number };
  /** Gradients one encoder layer at a time (BertCompute `layerwise`). */
  layerwise: boolean;
  /** Most rows a training shard holds at `maxLength` tokens (a batch is cut into enough shards). */
  shardRows: number;
  /**
   * Layer-wise only: a shard of at most this many tokens (rows × padded length) keeps its dense products from the
   * first pass for the recomputation (nn/productCache.ts) within the heap planned for a full shard; 0 = never.
   */
  keptProductTokens: number;
  /** Rows per inference batch at `maxLength` tokens. */
  inferenceRows: number;
  /** Compute replicas (worker threads; 1 = on the calling thread). */
  replicas: number;
  /** When it does not fit: why, in one sentence, with what to change. */
  refusal?: string;
  /** `refusal` worded for VS Code (the Fine-tune dialogue's steps instead of CLI flags), when it differs. */
  editorRefusal?: string;
}

/** Activation bytes autograd keeps for one token through the whole encoder (all layers recorded). */
function wholeGraphBytesPerToken(cfg: EncoderSizes, seqLen: number): number {
  return cfg.numLayers * (activationFloatsPerHidden * cfg.hiddenSize + attentionTensors * cfg.numHeads * seqLen) * f32;
}

/** Bytes per token of one recomputed layer plus every layer's kept input. */
function layerwiseBytesPerToken(cfg: EncoderSizes, seqLen: number): number {
  return (cfg.numLayers * cfg.hiddenSize + layerFloatsPerHidden * cfg.hiddenSize + attentionTensors * cfg.numHeads * seqLen) * f32;
}

/**
 * The memory plan of a training run: see MemoryPlan. Pure arithmetic on the config (no weights read).
 * Training in feature-extraction mode runs the encoder in inference only; LoRA and full run backward through it.
 */
export function planEncoderMemory(input: EncoderPlanInput): MemoryPlan {
  const { mode, maxLength } = input;
  const cfg = input.sizes(mode);
  const wasm = input.wasmBackend !== false;
  const heapBudget = wasm ? wasmHeapBudget : Infinity;
  const p = cfg.params;
  // Main thread: the flat parameter store and the gradient buffer (full-size), AdamW's two moments (trained only).
  const weightsAndOptimizer = (2 * p.all + 2 * p.trainable) * f32;
  const weights = p.tfjs * f32;
  const backward = mode !== 'feature-extraction';
  // Whole graph: weights, a transposed copy of each for input gradients, and in full mode a saved clone and
  // a gradient of each; layer-wise: the weights plus those copies of one layer only.
  const wholeFixed = weights * (2 + (mode === 'full' ? 2 : 0));
  const layerFixed = weights + 4 * p.layer * f32;
  const perToken = wholeGraphBytesPerToken(cfg, maxLength);
  const perTokenLayer = layerwiseBytesPerToken(cfg, maxLength);
  const rowsWithin = (fixed: number, bytesPerToken: number, activations: number): number =>
    Math.min(input.batchSize, Math.floor(Math.min(heapBudget - fixed, activations) / (bytesPerToken * maxLength)));
  const inferenceRows = Math.max(1, Math.min(64, Math.floor(shardActivationBudget / (layerFloatsPerHidden * cfg.hiddenSize * f32 * maxLength))));
  let layerwise = false;
  let shardRows: number;
  let replicaHeap: number;
  let keptProductTokens = 0;
  /** When kept products were planned beyond a shard's own heap: the tokens that fit without them, and their bytes. */
  let withinShard = 0;
  let keptBytes = 0;
  if (!backward) {
    shardRows = inferenceRows;
    replicaHeap = weights + inferenceRows * maxLength * layerFloatsPerHidden * cfg.hiddenSize * f32;
  } else {
    // The whole graph is faster (no recomputation) while shards of a useful size (8 texts at maxLength) fit
    // the heap next to its copies of the weights; else layer-wise, whose shards stay under the activation budget.
    const wholeRows = rowsWithin(wholeFixed, perToken, Infinity);
    if (wholeRows >= Math.min(input.batchSize, minWholeGraphRows)) {
      shardRows = wholeRows;
      replicaHeap = wholeFixed + shardRows * maxLength * perToken;
    } else {
      layerwise = true;
      shardRows = rowsWithin(layerFixed, perTokenLayer, shardActivationBudget);
      replicaHeap = layerFixed + Math.max(1, shardRows) * maxLength * perTokenLayer;
      // Keeping every layer's products saves the recomputation's products: planned for a full shard when the heap
      // has room for them (the budget is checked below), else only for shards short enough to leave that room.
      const keptPerToken = cfg.numLayers * (cfg.productFloatsPerToken ?? 0) * f32;
      const shardTokens = Math.max(1, shardRows) * maxLength;
      if (keptPerToken > 0 && replicaHeap + shardTokens * keptPerToken <= heapBudget) {
        replicaHeap += shardTokens * keptPerToken;
        keptProductTokens = shardTokens;
        withinShard = Math.floor((shardTokens * perTokenLayer) / (perTokenLayer + keptPerToken));
        keptBytes = shardTokens * keptPerToken;
      } else if (keptPerToken > 0) {
        keptProductTokens = Math.floor((shardTokens * perTokenLayer) / (perTokenLayer + keptPerToken));
      }
    }
  }
  // Per replica besides its heap: in a worker, a full-size gradient buffer of its own.
  const replicaBytes = (replicas: number): number => replicaHeap + (replicas > 1 ? p.all * f32 : 0);
  const total = (replicas: number): number => baseProcessBytes + weightsAndOptimizer + (replicas > 1 ? p.all * f32 : 0) + replicas * replicaBytes(replicas);
  let replicas: number;
  if (!wasm) replicas = 1;
  else if (input.workers > 0) replicas = input.workers;
  else if (!input.nativeMatMul) replicas = input.cores;
  else {
    // Native products already use every core; extra replicas pay off only for small models, whose steps are
    // dominated by per-operation overhead, and only when they cost little memory.
    replicas = p.base <= 30e6 ? input.cores : 1;
  }
  while (replicas > 1 && input.workers === 0 && total(replicas) > input.budget) replicas--;
  if (keptBytes > 0 && total(replicas) > input.budget) {
    // Over the budget with full-shard kept products: keep only what fits in a shard's own heap.
    replicaHeap -= keptBytes;
    keptProductTokens = withinShard;
  }
  const estimatedBytes = total(replicas);
  const plan: MemoryPlan = {
    parameters: p.base, trainableParameters: p.trainable, estimatedBytes,
    parts: { weightsAndOptimizer, perReplica: replicaBytes(replicas), replicas },
    layerwise, shardRows: Math.max(1, shardRows), keptProductTokens, inferenceRows, replicas,
  };
  const gb = (b: number): string => `${(b / 1e9).toFixed(1)} GB`;
  // Worded per surface: the CLI names its flags, VS Code the Fine-tune dialogue's steps (common/optionWording.ts).
  let refusal: ((surface: MessageSurface) => string) | undefined;
  if (shardRows < 1) {
    const modes = mode === 'full' ? 'lora or feature-extraction' : 'feature-extraction';
    refusal = (surface) => `one text of ${maxLength} tokens needs more than the wasm backend's 4 GB heap next to the weights (${gb(layerFixed)}); ` +
      `${surface === 'cli' ? 'use --max-length' : `set ${option('maxLength', surface)} to`} ${Math.max(8, Math.floor(maxLength / 2))} or less, ` +
      `${surface === 'cli' ? `--mode ${modes}` : `pick ${modes} as ${option('mode', surface)}`}, or a native backend (@tensorflow/tfjs-node)`;
  } else if (estimatedBytes > input.budget) {
    // Suggest only what would fit: the other modes (same batch and length), then a smaller model or more memory.
    const fits = (['lora', 'feature-extraction'] as const)
      .filter((m) => m !== mode && (mode === 'full' || m === 'feature-extraction'))
      .map((m) => ({ m, plan: planEncoderMemory({ ...input, mode: m }) }))
      .filter((x) => !x.plan.refusal);
    refusal = (surface) => {
      const modes = fits.map((x) => `${surface === 'cli' ? '--mode ' : ''}${x.m} (about ${gb(x.plan.estimatedBytes)})`).join(' or ');
      const use = !fits.length ? '' : surface === 'cli' ? `use ${modes}, ` : `pick ${modes} as ${option('mode', surface)}, `;
      return `training needs about ${gb(estimatedBytes)} and ${gb(input.budget)} may be used; ${use}a smaller model, or more memory (CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB)`;
    };
  } else if (weights + 4 * p.layer * f32 > heapBudget) {
    refusal = () => `the weights alone (${gb(weights)}) do not fit the wasm backend's 4 GB heap; use a native backend (@tensorflow/tfjs-node) or a smaller model`;
  }
  if (refusal) {
    plan.refusal = refusal('cli');
    const editor = refusal('vscode');
    if (editor !== plan.refusal) plan.editorRefusal = editor;
  }
  return plan;
}

/**
 * Bytes a run may use: `CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB` when set, else half the machine's memory (the
 * editor, the language servers and the user's other work share it), at least 2 GB.
 * @throws EngineError (invalidOption) naming the variable when it is set to anything but a number of GB > 0: a typo
 * must not silently fall back to the default budget.
 */
export function memoryBudget(totalMemory: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB;
  if (value === undefined || value === '') return Math.max(2e9, totalMemory / 2);
  const asked = Number(value);
  if (value.trim() === '' || !Number.isFinite(asked) || asked <= 0) {
    throw new EngineError(EngineErrorCodes.invalidOption, `the environment variable CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB must be a number of gigabytes > 0 (e.g. 12), got ${JSON.stringify(value)}; fix it or unset it to use half the machine's memory`);
  }
  return asked * 1e9;
}

/** "110.1M parameters, 110.1M trained, ~3.2 GB estimated training memory (1 replica, layer-wise gradients)". */
export function describeMemoryPlan(plan: MemoryPlan): string {
  const m = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n.toLocaleString('en-US'));
  return `${m(plan.parameters)} parameters, ${m(plan.trainableParameters)} trained, ~${(plan.estimatedBytes / 1e9).toFixed(1)} GB estimated training memory at most ` +
    `(${plan.replicas} replica${plan.replicas > 1 ? 's' : ''}, shards of up to ${plan.shardRows} rows${plan.layerwise ? ', layer-wise gradients' : ''})`;
}
