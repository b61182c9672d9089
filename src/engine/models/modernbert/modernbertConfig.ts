// ModernBERT's config.json read into a typed, frozen config. Semantics from transformers' configuration_modernbert.py
// and modeling_modernbert.py: pre-norm layers without absolute positions; rotary embeddings whose base is
// `global_rope_theta` in global layers and `local_rope_theta` in local ones; every `global_attn_every_n_layers`-th layer
// (from layer 0) attends globally, the others within a sliding window of `local_attention` tokens (±window/2);
// newer configs say the same with `layer_types` and `rope_parameters`, which win when present.
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { checkEncoderSize, configNumberReader, describeConfigValue, type EncoderDimensions } from '../nn/configBounds';

/** The activations ModernBERT configs name (transformers' ACT2FN keys), as this engine computes them. */
export type ModernBertActivation = 'gelu' | 'gelu_tanh' | 'silu' | 'relu';

export interface ModernBertConfig extends EncoderDimensions {
  readonly modelType: 'modernbert';
  readonly normEps: number;
  /** Biases of every LayerNorm (`norm_bias`), of Wqkv and attn.Wo (`attention_bias`), of mlp.Wi/Wo (`mlp_bias`), of head.dense (`classifier_bias`). */
  readonly normBias: boolean;
  readonly attentionBias: boolean;
  readonly mlpBias: boolean;
  readonly classifierBias: boolean;
  readonly hiddenActivation: ModernBertActivation;
  readonly classifierActivation: ModernBertActivation;
  /** Per layer: global attention (true) or the sliding window (false). */
  readonly globalLayers: readonly boolean[];
  readonly globalRopeTheta: number;
  readonly localRopeTheta: number;
  /** The whole sliding window, in tokens: a query attends to keys at distance ≤ `localAttention / 2` (integer division). */
  readonly localAttention: number;
  readonly embeddingDropout: number;
  /** On the attention probabilities and on the attention output (attn.out_drop), as HF applies it. */
  readonly attentionDropout: number;
  readonly mlpDropout: number;
  readonly classifierDropout: number;
  readonly classifierPooling: 'cls' | 'mean';
  readonly initializerRange: number;
  readonly initializerCutoffFactor: number;
  readonly raw: Readonly<Record<string, unknown>>;
}

const activations: Record<string, ModernBertActivation> = {
  gelu: 'gelu', gelu_new: 'gelu_tanh', gelu_pytorch_tanh: 'gelu_tanh', silu: 'silu', swish: 'silu', relu: 'relu',
};

const architectures = /^ModernBert(Model|For[A-Za-z]+)$/;

/**
 * Validates a parsed ModernBERT config.json (model_type "modernbert"); `file` is named in errors.
 * @throws EngineError(invalidModel) naming the file and the field for an architecture, activation, pooling, layer
 *   pattern, rotary type or size the engine does not compute, or a value outside its bound (configBounds.ts)
 */
export function parseModernBertConfig(raw: Record<string, unknown>, file = 'config.json'): ModernBertConfig {
  const fail = (detail: string): EngineError => new EngineError(EngineErrorCodes.invalidModel, detail, { file });
  const num = configNumberReader(raw, 'modernbert', file);
  const archs = Array.isArray(raw.architectures) ? (raw.architectures as unknown[]).map(String) : [];
  const bad = archs.find((a) => !architectures.test(a));
  if (bad) throw fail(`Unsupported architecture ${bad} for model_type "modernbert": expected ModernBertModel or ModernBertFor….`);
  const activation = (key: string): ModernBertActivation => {
    const v = raw[key] ?? 'gelu';
    const a = typeof v === 'string' ? activations[v] : undefined;
    if (!a) throw fail(`${key} ${describeConfigValue(v)} is not supported (use one of ${Object.keys(activations).map((k) => `"${k}"`).join(', ')}).`);
    return a;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const v = raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw fail(`config.json: "${key}" must be true or false, got ${describeConfigValue(v)}`);
    return v;
  };
  const pooling = raw.classifier_pooling ?? 'cls';
  if (pooling !== 'cls' && pooling !== 'mean') throw fail(`classifier_pooling ${describeConfigValue(pooling)} is not supported (only "cls" or "mean", as in transformers).`);
  const numLayers = num('num_hidden_layers');
  const every = num('global_attn_every_n_layers', 3);
  let globalLayers = Array.from({ length: numLayers }, (_, i) => i % every === 0);
  if (raw.layer_types !== undefined && raw.layer_types !== null) {
    const types = raw.layer_types;
    if (!Array.isArray(types) || types.length !== numLayers || types.some((t) => t !== 'full_attention' && t !== 'sliding_attention')) {
      throw fail(`config.json: "layer_types" must list "full_attention" or "sliding_attention" for each of the ${numLayers} layers.`);
    }
    globalLayers = types.map((t) => t === 'full_attention');
  }
  const globalRopeTheta = ropeTheta(raw, 'full_attention', num('global_rope_theta', 160000), fail);
  // transformers before rope_parameters: a null local_rope_theta means local layers use the global base.
  const localDefault = raw.local_rope_theta === null ? globalRopeTheta : num('local_rope_theta', 10000);
  const localRopeTheta = ropeTheta(raw, 'sliding_attention', localDefault, fail);
  const cfg: ModernBertConfig = {
    modelType: 'modernbert', raw,
    vocabSize: num('vocab_size'), hiddenSize: num('hidden_size'), numLayers, numHeads: num('num_attention_heads'),
    intermediateSize: num('intermediate_size'), maxPositions: num('max_position_embeddings', 8192),
    normEps: num('norm_eps', 1e-5), normBias: flag('norm_bias', false), attentionBias: flag('attention_bias', false),
    mlpBias: flag('mlp_bias', false), classifierBias: flag('classifier_bias', false),
    hiddenActivation: activation('hidden_activation'), classifierActivation: activation('classifier_activation'),
    globalLayers, globalRopeTheta, localRopeTheta, localAttention: num('local_attention', 128),
    embeddingDropout: num('embedding_dropout', 0), attentionDropout: num('attention_dropout', 0), mlpDropout: num('mlp_dropout', 0),
    classifierDropout: num('classifier_dropout', 0), classifierPooling: pooling,
    initializerRange: num('initializer_range', 0.02), initializerCutoffFactor: num('initializer_cutoff_factor', 2),
    padTokenId: num('pad_token_id', 50283),
  };
  if ((cfg.hiddenSize / cfg.numHeads) % 2 !== 0) throw fail(`config.json: the head size ${cfg.hiddenSize}/${cfg.numHeads} is odd; rotary embeddings rotate pairs of dimensions.`);
  // The size bound counts a BERT-layout encoder: GeGLU's 3·h·I weights per layer are BERT's 2·h·I at 1.5 × I; no
  // position or type tables.
  checkEncoderSize({ ...cfg, intermediateSize: Math.ceil(1.5 * cfg.intermediateSize), maxPositions: 0, typeVocabSize: 0 }, file);
  return Object.freeze(cfg);
}

/** `rope_parameters[kind].rope_theta` when the config has it (only the "default" rope type), else `fallback`. */
function ropeTheta(raw: Record<string, unknown>, kind: 'full_attention' | 'sliding_attention', fallback: number, fail: (d: string) => EngineError): number {
  const params = raw.rope_parameters;
  if (params === undefined || params === null) return fallback;
  const entry = typeof params === 'object' ? (params as Record<string, unknown>)[kind] : undefined;
  if (entry === undefined || entry === null) return fallback;
  if (typeof entry !== 'object') throw fail(`config.json: "rope_parameters.${kind}" must be an object.`);
  const { rope_type: type = 'default', rope_theta: theta } = entry as Record<string, unknown>;
  if (type !== 'default') throw fail(`config.json: rope_parameters.${kind}.rope_type ${describeConfigValue(type)} is not supported (only "default").`);
  if (theta === undefined) return fallback;
  if (typeof theta !== 'number' || !(theta > 1) || !Number.isFinite(theta)) throw fail(`config.json: rope_parameters.${kind}.rope_theta must be a number above 1, got ${describeConfigValue(theta)}.`);
  return theta;
}
