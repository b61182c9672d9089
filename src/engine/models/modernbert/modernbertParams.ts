// The internal parameter list of a ModernBERT classifier, the one place its weights are randomly initialised, and
// the mapping to and from Hugging Face tensor names. Internal names are HF's without the base model's `model.`
// prefix (`layers.0.attn.Wqkv.weight`, `head.dense.weight`, `classifier.weight`); linear weights are stored
// `[in, out]` (HF keeps `[out, in]`), so the forward pass is `x · W`; the loading and export loop is nn/hfWeights.ts.
import type { ModernBertConfig } from './modernbertConfig';
import { layoutParams, ParamStore, type ParamShape } from '../nn/paramStore';
import { SeededRandom } from '../../seededRandom';
import { hfTensorsOf, loadHfTensors, type HfNaming, type HfTensor, type LoadWeightsResult } from '../nn/hfWeights';

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

export type { HfTensor } from '../nn/hfWeights';

/** Tensors of ModernBertForMaskedLM's decoder (its weight is tied to tok_embeddings): ignored when present. */
const ignoredTensors = [/^decoder\.(weight|bias)$/];

/** Parameters that a base checkpoint may lack: initialised as HF does ("newly initialized" weights). */
const optionalInternal = [/^head\./, /^classifier\./, /\.lora_[AB]$/];

/** The prediction head and classifier sit beside the base model (`model.`) in every `ModernBertFor…` checkpoint. */
function isHeadName(name: string): boolean {
  return /^(head|classifier)\./.test(name);
}

/**
 * ModernBERT's naming for nn/hfWeights.ts: base tensors as `model.<name>` (a `ModernBertFor…` checkpoint) or
 * `<name>` (a `ModernBertModel` one), `head.*` and `classifier.*` without prefix.
 */
function modernBertNaming(cfg: ModernBertConfig): HfNaming {
  return {
    modelType: 'modernbert', numLayers: cfg.numLayers,
    keys: (name) => (isHeadName(name) ? [name] : [`model.${name}`, name]),
    isLinearWeight: (name, shape) => shape.length === 2 && name !== tokEmbeddings && !name.includes('lora_'),
    optional: (name) => optionalInternal.some((re) => re.test(name)),
    ignored: (name) => ignoredTensors.some((re) => re.test(name)),
    missingHint: ' (check attention_bias, mlp_bias, norm_bias and classifier_bias)',
    extraHint: ' (its bias flags or sizes)',
  };
}

/**
 * Copies HF tensors into the store (nn/hfWeights.ts).
 * @param file the weights file, for messages
 * @param opts.allowHeadMismatch re-initialise `classifier.*` of another label count instead of failing
 * @returns internal names the file lacked (head, classifier, adapters) and head tensors of another shape
 * @throws EngineError(invalidModel) on a missing required tensor, an unexpected tensor, or a wrong shape
 */
export function loadModernBertWeights(
  cfg: ModernBertConfig, store: ParamStore, tensors: ReadonlyMap<string, HfTensor>, file: string, opts: { allowHeadMismatch?: boolean } = {},
): LoadWeightsResult {
  return loadHfTensors(store, tensors, file, modernBertNaming(cfg), opts);
}

/** HF tensors of a `ModernBertForSequenceClassification` folder (adapters must be merged into the store first). */
export function toModernBertHfTensors(cfg: ModernBertConfig, store: ParamStore): Map<string, HfTensor> {
  return hfTensorsOf(store, modernBertNaming(cfg));
}
