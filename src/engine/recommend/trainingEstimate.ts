// How long a BERT-family model takes to train on a dataset here, before its weights are downloaded: the run's
// floating-point operations from the model's config (a documented formula), divided by the product rate measured
// on this machine (productRate.ts) and by the share of a step that products take (measured, docs/performance.md).
import type { BertConfig } from '../models/bert/bertConfig';
import { countParameters } from '../models/bert/memoryEstimate';
import type { TrainMode } from '../../protocol/train';

/** The data a run trains and evaluates on. */
export interface EstimateData {
  trainExamples: number;
  /** Validation examples (evaluated before training and after every epoch). */
  validationExamples: number;
  /** Test examples (evaluated before training and at the end). */
  testExamples: number;
  /** Padded tokens per text. */
  tokensPerText: number;
}

/**
 * Share of a training step spent in matrix products: ~60 %, measured by profiling one DistilBERT-shape step with
 * native products (docs/performance.md, "Second pass"); the rest is element-wise work, copies and the optimiser.
 */
export const productShareOfStep = 0.6;
/**
 * Throughput of n data-parallel wasm replicas relative to n times one: two workers did ~26 GFLOP/s where one did
 * ~14.7 on the project's 2-core machine (../shared/notes/tfjs-wasm-performance.md), i.e. 0.88 each.
 */
export const replicaEfficiency = 26 / (2 * 14.7);

/**
 * Forward-pass FLOPs per token of the encoder: 2 per weight of the encoder layers (a multiply-add per weight) plus
 * the attention scores and their weighted sum, 2·n_layer·n_ctx·d_model — Kaplan et al. 2020, "Scaling Laws for
 * Neural Language Models", Table 1. Embedding lookups are gathers, not products, and are not counted.
 */
export function forwardFlopsPerToken(cfg: BertConfig, numLabels: number, tokensPerText: number): number {
  const encoderWeights = countParameters(cfg, numLabels, 'full').layer * cfg.numLayers;
  return 2 * encoderWeights + 2 * cfg.numLayers * tokensPerText * cfg.hiddenSize;
}

/**
 * FLOPs of a whole run. Training a token costs 3 forward passes in full fine-tuning (the backward pass is twice
 * the forward: gradients for activations and for weights; Kaplan et al. 2020 §2.1), 2 in LoRA (the frozen
 * weights need no gradient; the adapters' are negligible), and in feature extraction each text is encoded once
 * (the feature cache) and only the head trains (negligible). Evaluation is one forward pass per text: validation
 * before training and after each epoch, test before training and at the end (runTraining.ts).
 */
export function runFlops(cfg: BertConfig, numLabels: number, mode: TrainMode, epochs: number, data: EstimateData): number {
  const forward = forwardFlopsPerToken(cfg, numLabels, data.tokensPerText) * data.tokensPerText;
  if (mode === 'feature-extraction') return forward * (data.trainExamples + data.validationExamples + data.testExamples);
  const trainPasses = mode === 'full' ? 3 : 2;
  const evaluation = forward * ((epochs + 1) * data.validationExamples + 2 * data.testExamples);
  return trainPasses * forward * epochs * data.trainExamples + evaluation;
}

/**
 * Expected seconds for `flops` at the measured product rate: rate × the products' share of a step, times the
 * replicas' throughput when products run on wasm in data-parallel workers (native products already use every
 * core in one replica).
 * @param gflops the measured rate of one product (productRate.ts)
 * @param replicas compute replicas the memory plan allows (memoryEstimate.ts)
 */
export function expectedSeconds(flops: number, gflops: number, nativeProducts: boolean, replicas: number): number {
  const parallel = nativeProducts || replicas <= 1 ? 1 : replicas * replicaEfficiency;
  return flops / (gflops * 1e9 * productShareOfStep * parallel);
}
