// The BERT family's Hugging Face tensor names (BERT, DistilBERT, RoBERTa, ELECTRA, DeBERTa-v2/v3) mapped to and from
// the internal parameter store's; the loading and export loop is nn/hfWeights.ts.
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { hfTensorsOf, loadHfTensors, type HfNaming, type HfTensor, type LoadWeightsResult } from '../nn/hfWeights';

export type { HfTensor, LoadWeightsResult } from '../nn/hfWeights';

/** Tensors of pre-training heads and buffers that a classifier does not use: ignored when present. */
const ignoredTensors = [
  /^cls\./, /^((bert|distilbert|roberta|electra|deberta)\.)?embeddings\.(position_ids|token_type_ids)$/,
  /^vocab_(transform|layer_norm|projector)\./, /^lm_head\./, /^qa_outputs\./,
  // RoBERTa checkpoints converted from RobertaModel keep a pooler that RobertaForSequenceClassification never uses;
  // ELECTRA checkpoints keep the discriminator's replaced-token head (and sometimes the generator's).
  /^roberta\.pooler\./, /^discriminator_predictions\./, /^generator(_predictions|_lm_head)?\./,
  // DeBERTa-v3 checkpoints keep the masked-LM and replaced-token-detection heads.
  /^lm_predictions\./, /^mask_predictions\./,
];

/** Base-model prefix of each family's `*For*` checkpoints. */
const basePrefixes: Record<BertConfig['modelType'], string> = { bert: 'bert.', distilbert: 'distilbert.', roberta: 'roberta.', electra: 'electra.', 'deberta-v2': 'deberta.' };

/** DeBERTa's attention projections are `query_proj`/`key_proj`/`value_proj`; the rest keeps BERT's names. */
const debertaNames: [RegExp, string][] = [[/\.attention\.self\.(query|key|value)\./, '.attention.self.$1_proj.']];

/** RobertaClassificationHead / ElectraClassificationHead: `dense` is our pooler, `out_proj` our classifier. */
const classificationHeadNames: [RegExp, string][] = [[/^pooler\.dense\./, 'classifier.dense.'], [/^classifier\./, 'classifier.out_proj.']];

/** Parameters that a base checkpoint may lack: initialised randomly (HF's "newly initialized" weights). */
const optionalInternal = [/^pooler\./, /^classifier\./, /\.lora_[AB]$/];

/** HF name (without the model prefix) of every internal parameter, for this architecture. */
export function hfNameOf(cfg: BertConfig, internal: string): string {
  if (cfg.modelType === 'bert') return internal;
  if (cfg.modelType === 'deberta-v2') {
    for (const [re, to] of debertaNames) if (re.test(internal)) return internal.replace(re, to);
    return internal;
  }
  if (cfg.modelType === 'roberta' || cfg.modelType === 'electra') {
    for (const [re, to] of classificationHeadNames) if (re.test(internal)) return internal.replace(re, to);
    return internal;
  }
  const distil: [RegExp, string][] = [
    [/^encoder\.layer\.(\d+)\.attention\.self\.query\./, 'transformer.layer.$1.attention.q_lin.'],
    [/^encoder\.layer\.(\d+)\.attention\.self\.key\./, 'transformer.layer.$1.attention.k_lin.'],
    [/^encoder\.layer\.(\d+)\.attention\.self\.value\./, 'transformer.layer.$1.attention.v_lin.'],
    [/^encoder\.layer\.(\d+)\.attention\.output\.dense\./, 'transformer.layer.$1.attention.out_lin.'],
    [/^encoder\.layer\.(\d+)\.attention\.output\.LayerNorm\./, 'transformer.layer.$1.sa_layer_norm.'],
    [/^encoder\.layer\.(\d+)\.intermediate\.dense\./, 'transformer.layer.$1.ffn.lin1.'],
    [/^encoder\.layer\.(\d+)\.output\.dense\./, 'transformer.layer.$1.ffn.lin2.'],
    [/^encoder\.layer\.(\d+)\.output\.LayerNorm\./, 'transformer.layer.$1.output_layer_norm.'],
    [/^pooler\.dense\./, 'pre_classifier.'],
  ];
  for (const [re, to] of distil) if (re.test(internal)) return internal.replace(re, to);
  return internal;
}

/** The prefix HF puts before base-model tensors when saved from a `*For*` class. */
function basePrefix(cfg: BertConfig): string {
  return basePrefixes[cfg.modelType];
}

/** Heads live outside the base model: `classifier.*`, DistilBERT's `pre_classifier.*`, DeBERTa's `pooler.*`. */
function isHeadName(cfg: BertConfig, hf: string): boolean {
  return /^(classifier|pre_classifier)\./.test(hf) || (cfg.modelType === 'deberta-v2' && hf.startsWith('pooler.'));
}

/** Tensors a checkpoint may carry that this config does not use (DeBERTa-v3's unused absolute position table). */
function unusedByConfig(cfg: BertConfig, name: string): boolean {
  return cfg.absolutePositions === false && /^(\w+\.)?embeddings\.position_embeddings\.weight$/.test(name);
}

/**
 * Internal names of the parameters in the HF `classifier` module: what peft's sequence-classification LoRA trains
 * beside the adapters (BERT/DistilBERT: the linear classifier; RoBERTa/ELECTRA: their whole two-layer head).
 */
export function isClassifierModuleParam(cfg: BertConfig, internal: string): boolean {
  return !internal.includes('lora_') && hfNameOf(cfg, internal).startsWith('classifier.');
}

/**
 * Store `[in,out]` ↔ HF `[out,in]` for linear weights (2-D, not embedding tables — DeBERTa's `rel_embeddings` is
 * one; `embeddings_project` is a linear).
 */
function isLinearWeight(internal: string, shape: readonly number[]): boolean {
  return shape.length === 2 && !internal.startsWith('embeddings.') && !internal.includes('lora_') && !internal.endsWith('rel_embeddings.weight');
}

/** The family's naming for nn/hfWeights.ts: base tensors with the model prefix (or without), heads without. */
function bertNaming(cfg: BertConfig): HfNaming {
  const prefix = basePrefix(cfg);
  return {
    modelType: cfg.modelType, numLayers: cfg.numLayers, isLinearWeight,
    keys: (internal) => {
      const hf = hfNameOf(cfg, internal);
      return isHeadName(cfg, hf) ? [hf] : [prefix + hf, hf];
    },
    optional: (internal) => optionalInternal.some((re) => re.test(internal)),
    ignored: (name) => ignoredTensors.some((re) => re.test(name)) || unusedByConfig(cfg, name),
  };
}

/**
 * Copies HF tensors into the store.
 * @param file the safetensors path, for messages
 * @param opts.allowHeadMismatch re-initialise `classifier.*` when its label count differs (fine-tuning a
 *   checkpoint that already has a head) instead of failing (loading a trained model for prediction).
 * @throws EngineError(invalidModel) on a missing required tensor, an unexpected tensor, or a wrong shape.
 */
export function loadHfWeights(
  cfg: BertConfig, store: ParamStore, tensors: ReadonlyMap<string, HfTensor>, file: string, opts: { allowHeadMismatch?: boolean } = {},
): LoadWeightsResult {
  return loadHfTensors(store, tensors, file, bertNaming(cfg), opts);
}

/**
 * HF tensors for a `*ForSequenceClassification` folder: base tensors with the `bert.`/`distilbert.` prefix and
 * the head without, linear weights in `[out, in]`. LoRA adapters, if any, must be merged into the store first.
 */
export function toHfTensors(cfg: BertConfig, store: ParamStore): Map<string, HfTensor> {
  return hfTensorsOf(store, bertNaming(cfg));
}
