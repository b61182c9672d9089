// The internal parameter list of a ModernBERT classifier, the one place its weights are randomly initialised, and
// the mapping to and from Hugging Face tensor names. Internal names are HF's without the base model's `model.`
// prefix (`layers.0.attn.Wqkv.weight`, `head.dense.weight`, `classifier.weight`); linear weights are stored
// `[in, out]` (HF keeps `[out, in]`), so the forward pass is `x · W`. Loading fails loudly on a missing, unexpected
// or wrongly shaped tensor, naming it and the file.
import type { ModernBertConfig } from './modernbertConfig';
import { layoutParams, ParamStore, type ParamShape } from '../nn/paramStore';
import { SeededRandom } from '../../seededRandom';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** LoRA on ModernBERT's linear layers (Hu et al. 2021): W' = W + (alpha / rank) · A · B. */
export interface ModernBertLora {
  rank: number;
  alpha: number;
  dropout: number;
  /** Per-layer linear layers adapted: `attn.Wqkv`, `attn.Wo`, `mlp.Wi`, `mlp.Wo`. */
  modules: readonly string[];
}

/**
 * The BERT family's LoRA target names mapped to ModernBERT's modules. Query, key and value are one fused `Wqkv`
 * matrix, so any of them adapts that matrix (peft with `target_modules=["Wqkv"]` does the same).
 */
export const loraModules: Record<string, string> = {
  query: 'attn.Wqkv', key: 'attn.Wqkv', value: 'attn.Wqkv', output: 'attn.Wo', intermediate: 'mlp.Wi', ffnOutput: 'mlp.Wo',
};

export const tokEmbeddings = 'embeddings.tok_embeddings.weight';

/** Shapes of every parameter, in a fixed order (the flat buffer's layout). */
export function modernBertParamShapes(cfg: ModernBertConfig, numLabels: number, lora?: ModernBertLora): ParamShape[] {
  const h = cfg.hiddenSize;
  const out: ParamShape[] = [{ name: tokEmbeddings, shape: [cfg.vocabSize, h] }];
  const norm = (name: string): void => {
    out.push({ name: `${name}.weight`, shape: [h] });
    if (cfg.normBias) out.push({ name: `${name}.bias`, shape: [h] });
  };
  const linear = (name: string, inDim: number, outDim: number, bias: boolean): void => {
    out.push({ name: `${name}.weight`, shape: [inDim, outDim] });
    if (bias) out.push({ name: `${name}.bias`, shape: [outDim] });
  };
  norm('embeddings.norm');
  for (let i = 0; i < cfg.numLayers; i++) {
    // Layer 0's attn_norm is an Identity: the embedding norm already normalised its input.
    if (i > 0) norm(`layers.${i}.attn_norm`);
    linear(`layers.${i}.attn.Wqkv`, h, 3 * h, cfg.attentionBias);
    linear(`layers.${i}.attn.Wo`, h, h, cfg.attentionBias);
    norm(`layers.${i}.mlp_norm`);
    linear(`layers.${i}.mlp.Wi`, h, 2 * cfg.intermediateSize, cfg.mlpBias);
    linear(`layers.${i}.mlp.Wo`, cfg.intermediateSize, h, cfg.mlpBias);
  }
  norm('final_norm');
  linear('head.dense', h, h, cfg.classifierBias);
  norm('head.norm');
  linear('classifier', h, numLabels, true);
  if (lora) {
    for (let i = 0; i < cfg.numLayers; i++) {
      for (const m of lora.modules) {
        const base = `layers.${i}.${m}`;
        const [inDim, outDim] = out.find((s) => s.name === `${base}.weight`)!.shape;
        out.push({ name: `${base}.lora_A`, shape: [inDim, lora.rank] }, { name: `${base}.lora_B`, shape: [lora.rank, outDim] });
      }
    }
  }
  return out;
}

export function createModernBertStore(cfg: ModernBertConfig, numLabels: number, lora?: ModernBertLora): ParamStore {
  return new ParamStore(layoutParams(modernBertParamShapes(cfg, numLabels, lora)));
}

/**
 * Initialises the named tensors as `ModernBertPreTrainedModel._init_weights` does: truncated normal (cut at
 * ±initializer_cutoff_factor σ) with σ = initializer_range for tok_embeddings, Wqkv and Wi, initializer_range /
 * √(2·layers) for attn.Wo, mlp.Wo and head.dense, hidden_size^-0.5 for the classifier; zero biases; LayerNorm 1.
 * LoRA follows peft: A uniform ±1/√in (kaiming-uniform with a=√5), B zero, so adapters start as the identity.
 */
export function initModernBertWeights(store: ParamStore, cfg: ModernBertConfig, names: Iterable<string>, seed: number): void {
  const rng = new SeededRandom(seed);
  const cutoff = cfg.initializerCutoffFactor;
  const truncated = (): number => {
    for (;;) {
      const z = rng.normal();
      if (Math.abs(z) <= cutoff) return z;
    }
  };
  const outStd = cfg.initializerRange / Math.sqrt(2 * cfg.numLayers);
  for (const name of names) {
    const v = store.get(name);
    if (name.endsWith('lora_A')) {
      const bound = 1 / Math.sqrt(store.spec(name).shape[0]);
      for (let i = 0; i < v.length; i++) v[i] = (rng.next() * 2 - 1) * bound;
    } else if (name.endsWith('lora_B') || name.endsWith('.bias')) {
      v.fill(0);
    } else if (/norm\.weight$/.test(name)) {
      v.fill(1);
    } else {
      const std = name.startsWith('classifier.') ? cfg.hiddenSize ** -0.5 : /(\.Wo|head\.dense)\.weight$/.test(name) ? outStd : cfg.initializerRange;
      for (let i = 0; i < v.length; i++) v[i] = truncated() * std;
    }
  }
}

// ---- Hugging Face names

/** A decoded float tensor as read from / written to safetensors. */
export interface HfTensor {
  shape: number[];
  data: Float32Array;
}

/** Tensors of ModernBertForMaskedLM's decoder (its weight is tied to tok_embeddings): ignored when present. */
const ignoredTensors = [/^decoder\.(weight|bias)$/];

/** Parameters that a base checkpoint may lack: initialised as HF does ("newly initialized" weights). */
const optionalInternal = [/^head\./, /^classifier\./, /\.lora_[AB]$/];

/** The prediction head and classifier sit beside the base model (`model.`) in every `ModernBertFor…` checkpoint. */
function isHeadName(name: string): boolean {
  return /^(head|classifier)\./.test(name);
}

function isLinearWeight(name: string, shape: readonly number[]): boolean {
  return shape.length === 2 && name !== tokEmbeddings && !name.includes('lora_');
}

function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

function hfShape(name: string, shape: number[]): number[] {
  return isLinearWeight(name, shape) ? [shape[1], shape[0]] : shape;
}

/**
 * Copies HF tensors into the store: base tensors as `model.<name>` (a `ModernBertFor…` checkpoint) or `<name>` (a
 * `ModernBertModel` one), `head.*` and `classifier.*` without prefix.
 * @param file the weights file, for messages
 * @param opts.allowHeadMismatch re-initialise `classifier.*` of another label count instead of failing
 * @returns internal names the file lacked (head, classifier, adapters) and head tensors of another shape
 * @throws EngineError(invalidModel) on a missing required tensor, an unexpected tensor, or a wrong shape
 */
export function loadModernBertWeights(
  cfg: ModernBertConfig, store: ParamStore, tensors: ReadonlyMap<string, HfTensor>, file: string, opts: { allowHeadMismatch?: boolean } = {},
): { missing: string[]; reinitialised: string[] } {
  const used = new Set<string>();
  const missing: string[] = [];
  const reinitialised: string[] = [];
  for (const spec of store.specs) {
    const keys = isHeadName(spec.name) ? [spec.name] : [`model.${spec.name}`, spec.name];
    const found = keys.find((k) => tensors.has(k));
    if (!found) {
      if (optionalInternal.some((re) => re.test(spec.name))) {
        missing.push(spec.name);
        continue;
      }
      throw new EngineError(EngineErrorCodes.invalidModel, `The weights lack tensor "${keys[0]}" (modernbert, shape [${hfShape(spec.name, spec.shape)}]). The file does not match config.json (check attention_bias, mlp_bias, norm_bias and classifier_bias); re-download or re-export the model.`, { file });
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
  const extra = [...tensors.keys()].filter((k) => !used.has(k) && !ignoredTensors.some((re) => re.test(k)));
  if (extra.length) {
    throw new EngineError(EngineErrorCodes.invalidModel, `Unexpected tensor${extra.length > 1 ? 's' : ''} ${extra.slice(0, 5).map((e) => `"${e}"`).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''} for a modernbert model with ${cfg.numLayers} layers: the weights do not match config.json (its bias flags or sizes).`, { file });
  }
  return { missing, reinitialised };
}

/** HF tensors of a `ModernBertForSequenceClassification` folder (adapters must be merged into the store first). */
export function toModernBertHfTensors(store: ParamStore): Map<string, HfTensor> {
  const out = new Map<string, HfTensor>();
  for (const spec of store.specs) {
    if (spec.name.includes('lora_')) continue;
    const v = store.get(spec.name);
    const data = isLinearWeight(spec.name, spec.shape) ? transpose(v, spec.shape[0], spec.shape[1]) : v.slice();
    out.set(isHeadName(spec.name) ? spec.name : `model.${spec.name}`, { shape: hfShape(spec.name, spec.shape), data });
  }
  return out;
}
