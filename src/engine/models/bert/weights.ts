// The only place Hugging Face tensor names and layouts are mapped to and from the internal parameter store.
// HF Linear weights are PyTorch `[out, in]`; the store keeps `[in, out]`. Loading fails loudly on a missing,
// unexpected or wrongly shaped tensor, naming it and the file.
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** A decoded float tensor as read from / written to safetensors. */
export interface HfTensor {
  shape: number[];
  data: Float32Array;
}

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
function isLinearWeight(internal: string, shape: number[]): boolean {
  return shape.length === 2 && !internal.startsWith('embeddings.') && !internal.includes('lora_') && !internal.endsWith('rel_embeddings.weight');
}

function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

export interface LoadWeightsResult {
  /** Internal names that the file lacked and that must be initialised (pooler/head/adapters). */
  missing: string[];
  /** Head tensors whose shape did not match (e.g. a different number of labels): re-initialised. */
  reinitialised: string[];
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
  const prefix = basePrefix(cfg);
  const used = new Set<string>();
  const missing: string[] = [];
  const reinitialised: string[] = [];
  for (const spec of store.specs) {
    const hf = hfNameOf(cfg, spec.name);
    const key = isHeadName(cfg, hf) ? [hf] : [prefix + hf, hf];
    const found = key.find((k) => tensors.has(k));
    if (!found) {
      if (optionalInternal.some((re) => re.test(spec.name))) {
        missing.push(spec.name);
        continue;
      }
      throw new EngineError(EngineErrorCodes.invalidModel, `The weights lack tensor "${prefix}${hf}" (${cfg.modelType}, shape [${hfShape(spec.name, spec.shape)}]). The file does not match config.json; re-download or re-export the model.`, { file });
    }
    used.add(found);
    const t = tensors.get(found)!;
    const want = hfShape(spec.name, spec.shape);
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      if (opts.allowHeadMismatch && spec.name.startsWith('classifier.')) {
        reinitialised.push(spec.name);
        continue;
      }
      throw new EngineError(EngineErrorCodes.invalidModel, `Tensor "${found}" has shape [${t.shape.join(', ')}] but config.json implies [${want.join(', ')}]. The weights and config.json do not belong together.`, { file });
    }
    store.get(spec.name).set(isLinearWeight(spec.name, spec.shape) ? transpose(t.data, t.shape[0], t.shape[1]) : t.data);
  }
  const extra = [...tensors.keys()].filter((k) => !used.has(k) && !ignoredTensors.some((re) => re.test(k)) && !unusedByConfig(cfg, k));
  if (extra.length) {
    throw new EngineError(EngineErrorCodes.invalidModel, `Unexpected tensor${extra.length > 1 ? 's' : ''} ${extra.slice(0, 5).map((e) => `"${e}"`).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''} for a ${cfg.modelType} model with ${cfg.numLayers} layers: the weights do not match config.json.`, { file });
  }
  return { missing, reinitialised };
}

/** HF shape of an internal tensor (linear weights transposed back to `[out, in]`). */
function hfShape(internal: string, shape: number[]): number[] {
  return isLinearWeight(internal, shape) ? [shape[1], shape[0]] : shape;
}

/**
 * HF tensors for a `*ForSequenceClassification` folder: base tensors with the `bert.`/`distilbert.` prefix and
 * the head without, linear weights in `[out, in]`. LoRA adapters, if any, must be merged into the store first.
 */
export function toHfTensors(cfg: BertConfig, store: ParamStore): Map<string, HfTensor> {
  const out = new Map<string, HfTensor>();
  const prefix = basePrefix(cfg);
  for (const spec of store.specs) {
    if (spec.name.includes('lora_')) continue;
    const hf = hfNameOf(cfg, spec.name);
    const name = isHeadName(cfg, hf) ? hf : prefix + hf;
    const v = store.get(spec.name);
    const linear = isLinearWeight(spec.name, spec.shape);
    out.set(name, { shape: hfShape(spec.name, spec.shape), data: linear ? transpose(v, spec.shape[0], spec.shape[1]) : v.slice() });
  }
  return out;
}
