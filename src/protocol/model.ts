/**
 * Model messages: pick the active model, predict with it (hover, selections), and export a run's model as a
 * Hugging Face folder.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { EngineErrorData } from './errors';

/** extension → engine: load a run folder or a model folder as the model `model/predict` uses. */
export interface ModelSetActiveParams {
  /**
   * A run folder (its best model), an exported model folder, or the Hugging Face id of a fine-tuned classifier
   * (its `main` revision, from the HF cache or downloaded from HF_ENDPOINT).
   */
  path: string;
}
export interface ActiveModelInfo {
  path: string;
  /** The label map, index = label id. */
  labels: string[];
  /** Multi-label models: the decision threshold of each label (index = label id). */
  thresholds?: number[];
  /** A run's abstain threshold, picked in its dashboard (below it a prediction is `UNCERTAIN`). */
  uncertaintyThreshold?: number;
  /** A run's per-class abstain thresholds (index = label id of the predicted class), when picked per class. */
  uncertaintyThresholds?: number[];
}
export namespace ModelSetActive {
  export const method = 'model/setActive' as const;
  export const type = new RequestType<ModelSetActiveParams, ActiveModelInfo, EngineErrorData>(method);
}

/** extension → engine: class probabilities for a batch of texts with the active model. */
export interface ModelPredictParams {
  texts: string[];
  /** How many of the most likely labels to return per text; default 3. */
  topK?: number;
  /** Below this top probability the label is `UNCERTAIN`; default 0 (never). */
  threshold?: number;
}
export interface LabelProbability {
  label: string;
  probability: number;
}
export interface TextPrediction {
  /**
   * The most likely label, or `UNCERTAIN` when its probability is below the threshold. Multi-label models:
   * the predicted labels joined by ", " (`labels`), or `NONE` when no label reaches its threshold.
   */
  label: string;
  /** Multi-label models only: every label at or above its threshold, most probable first (maybe none). */
  labels?: string[];
  /** Multi-label models only: the thresholds used, index = label id. */
  thresholds?: number[];
  /** Probability of the most likely label. */
  confidence: number;
  /** The `topK` most likely labels, most likely first. */
  top: LabelProbability[];
  /** Probabilities of every label, in the order of `labels`. */
  probabilities: number[];
}
export interface ModelPredictResult {
  /** The active model's path and label map. */
  model: string;
  labels: string[];
  /** Multi-label models: the decision threshold of each label. */
  thresholds?: number[];
  predictions: TextPrediction[];
}
export namespace ModelPredict {
  export const method = 'model/predict' as const;
  export const type = new RequestType<ModelPredictParams, ModelPredictResult, EngineErrorData>(method);
}

/**
 * What an export adds as ONNX inside the Hugging Face folder: `onnx/model.onnx` (float32), and with `quantize: 'int8'`
 * also `onnx/model_quantized.onnx` (int8 weights, dynamic quantisation as ONNX Runtime's `quantize_dynamic`), the
 * names @huggingface/transformers and Optimum load. Transformer runs only: an n-gram run is refused (invalidOption).
 */
export interface OnnxExportOptions {
  quantize?: 'int8';
}

/** extension → engine: write the run's best model as a Hugging Face folder (config.json, safetensors, tokenizer). */
export interface ModelExportParams {
  runDir: string;
  /** Destination folder; default `<runDir>/model`. */
  outDir?: string;
  /** Also write the ONNX model(s) into `<outDir>/onnx/`. Absent: no ONNX. */
  onnx?: OnnxExportOptions;
}
export interface ModelExportResult {
  outDir: string;
  /** Every file written, relative to `outDir`, sorted (`onnx/model.onnx` for those in the ONNX subfolder). */
  files: string[];
  /**
   * What was written: a Hugging Face folder (`config.json` + safetensors + tokenizer, for
   * `AutoModelForSequenceClassification`), or the n-gram model's own format (`ngram.json` + `ngram.safetensors`,
   * docs/ngram-format.md), which `transformers` cannot load. Absent from engines before it existed.
   */
  format?: 'transformers' | 'ngram';
  /**
   * What the folder holds besides the export (top-level names, sorted: `README.md`, `.git`), left as it was; absent
   * when nothing. A re-export replaces only the files the earlier export wrote (exportFolder.ts).
   */
  kept?: string[];
  /** Set when the run did not complete: the model is its last (or best so far) checkpoint, not a finished model. */
  warning?: string;
}
export namespace ModelExport {
  export const method = 'model/export' as const;
  export const type = new RequestType<ModelExportParams, ModelExportResult, EngineErrorData>(method);
}
