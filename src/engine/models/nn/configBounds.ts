// The ranges config.json values must lie in before the engine sizes anything by them. A config is input like any
// other: `num_hidden_layers: 1000000` or `hidden_size: 1e9` must be refused with the field, the bound and why,
// not run into an out-of-memory abort. One table for every model family (keyed by the Hugging Face name of the
// field, so BERT's `hidden_size` and DistilBERT's `dim` each have their row); a family's parser gets the checks by
// reading its numbers through `configNumberReader`, and its parsed sizes through `checkEncoderSize`.
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** One row of the table: the closed range a value must be in, whether it must be an integer, and why. */
export interface ConfigFieldBound {
  min: number;
  max: number;
  integer: boolean;
  /** Why the bound is what it is, told to the user when it is broken. */
  why: string;
}

const layers: ConfigFieldBound = { min: 1, max: 256, integer: true, why: 'the deepest released encoders have 48 layers' };
const width: ConfigFieldBound = { min: 1, max: 16384, integer: true, why: 'the widest released encoders have 4,096' };
const ffn: ConfigFieldBound = { min: 1, max: 65536, integer: true, why: 'the widest released feed-forward layers have 16,384' };
const heads: ConfigFieldBound = { min: 1, max: 1024, integer: true, why: 'released encoders have at most 64 attention heads' };
const probability: ConfigFieldBound = { min: 0, max: 0.999, integer: false, why: 'a dropout probability is in [0, 1)' };

/**
 * The range of each numeric config.json field the engine reads, by its Hugging Face name. Every bound is far
 * beyond real checkpoints and far below what would exhaust memory on its own (`checkEncoderSize` bounds the
 * product of them).
 */
export const CONFIG_FIELD_BOUNDS: Readonly<Record<string, ConfigFieldBound>> = {
  num_hidden_layers: layers,
  n_layers: layers,
  hidden_size: width,
  dim: width,
  embedding_size: width,
  intermediate_size: ffn,
  hidden_dim: ffn,
  num_attention_heads: heads,
  n_heads: heads,
  vocab_size: { min: 1, max: 2_000_000, integer: true, why: 'the largest released vocabularies have about 260,000 tokens' },
  max_position_embeddings: { min: 1, max: 131072, integer: true, why: 'released encoders have at most 8,192 positions' },
  type_vocab_size: { min: 0, max: 1024, integer: true, why: 'encoders have 0 to 16 token types' },
  pad_token_id: { min: 0, max: 1_999_999, integer: true, why: 'it is a token id, below vocab_size' },
  layer_norm_eps: { min: 1e-30, max: 0.1, integer: false, why: 'it is a small positive constant (1e-12 to 1e-5 in released models)' },
  initializer_range: { min: 0, max: 10, integer: false, why: 'it is a standard deviation near 0.02' },
  hidden_dropout_prob: probability,
  attention_probs_dropout_prob: probability,
  classifier_dropout: probability,
  dropout: probability,
  attention_dropout: probability,
  seq_classif_dropout: probability,
  // ModernBERT
  norm_eps: { min: 1e-30, max: 0.1, integer: false, why: 'it is a small positive constant (1e-5 in released models)' },
  embedding_dropout: probability,
  mlp_dropout: probability,
  global_attn_every_n_layers: { min: 1, max: 256, integer: true, why: 'released models attend globally every 3rd layer' },
  local_attention: { min: 2, max: 131072, integer: true, why: 'it is a window of tokens (128 in released models)' },
  global_rope_theta: { min: 1.0001, max: 1e12, integer: false, why: 'it is a rotary base above 1 (160,000 in released models)' },
  local_rope_theta: { min: 1.0001, max: 1e12, integer: false, why: 'it is a rotary base above 1 (10,000 in released models)' },
  initializer_cutoff_factor: { min: 0.1, max: 100, integer: false, why: 'it is a truncation in standard deviations (2 in released models)' },
  cls_dropout: probability,
  pooler_dropout: probability,
  // DeBERTa's relative positions: the table has 2 × (buckets, else max_relative_positions) rows.
  position_buckets: { min: 1, max: 65536, integer: true, why: 'DeBERTa-v3 uses 256 buckets' },
  max_relative_positions: { min: 1, max: 131072, integer: true, why: 'it is at most the position count (512 in DeBERTa)' },
};

/**
 * The most parameters a config may describe: 2 billion (8 GB as float32, 4× that while training with AdamW),
 * above the largest encoder the engine could train (XLM-R XL has 3.5 billion and is out of reach of a CPU/wasm
 * engine anyway; bert-large has 340 million).
 */
export const MAX_ENCODER_PARAMETERS = 2_000_000_000;

function formatBound(n: number): string {
  return Math.abs(n) >= 1000 ? n.toLocaleString('en-US') : String(n);
}

function invalid(file: string, detail: string): EngineError {
  return new EngineError(EngineErrorCodes.invalidModel, `config.json: ${detail}`, { file });
}

/**
 * Checks one value against its row of `CONFIG_FIELD_BOUNDS` (a field without a row only has to be finite).
 * @throws EngineError(invalidModel) naming the field, the value, the bound and why
 */
export function checkConfigField(key: string, value: number, file: string): number {
  if (!Number.isFinite(value)) throw invalid(file, `"${key}" must be a finite number, got ${value}`);
  const bound = CONFIG_FIELD_BOUNDS[key];
  if (!bound) return value;
  if (bound.integer && !Number.isInteger(value)) throw invalid(file, `"${key}" must be a whole number, got ${value}`);
  if (value < bound.min || value > bound.max) {
    throw invalid(file, `"${key}" is ${formatBound(value)}, outside the engine's bound [${formatBound(bound.min)}, ${formatBound(bound.max)}] (${bound.why}); is this the right config.json?`);
  }
  return value;
}

/** A config value as a message shows it: strings quoted (cut to 80 characters), numbers as written, else its type. */
export function describeConfigValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

/** Reads numeric keys of a config.json with defaults; errors name the key and the file. */
export type ConfigNumber = (key: string, fallback?: number) => number;

/**
 * The reader a family's config parser takes its numbers from: each value is type-checked and range-checked by
 * `checkConfigField` before anything is sized by it.
 * @param modelType named in the error for a missing required key
 */
export function configNumberReader(raw: Record<string, unknown>, modelType: unknown, file: string): ConfigNumber {
  return (key, fallback) => {
    const v = raw[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw invalid(file, `lacks "${key}", which a ${String(modelType)} config must have`);
    }
    if (typeof v !== 'number') throw invalid(file, `"${key}" must be a number, got ${describeConfigValue(v)}`);
    return checkConfigField(key, v, file);
  };
}

/** The sizes every encoder family's parsed config has (BertConfig, ModernBertConfig). */
export interface EncoderDimensions {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  /** The feed-forward width (ModernBERT: one GeGLU half; `mlp.Wi` projects to twice this). */
  readonly intermediateSize: number;
  /** The longest sequence the checkpoint was trained for. */
  readonly maxPositions: number;
  readonly padTokenId: number;
}

/** The sizes of an encoder that decide how much memory it takes. */
export interface EncoderSize {
  vocabSize: number;
  hiddenSize: number;
  /** Width of the embedding tables (ELECTRA's `embedding_size`), default `hiddenSize`. */
  embeddingSize?: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  padTokenId: number;
}

/**
 * Parameters of a post-LN transformer encoder with these sizes: embeddings (tokens, positions, types, projection),
 * per layer the Q/K/V/O projections, the two feed-forward matrices, their biases and two layer norms, and the
 * pooler. Source: the parameter layout of transformers' BertModel.
 */
export function encoderParameterCount(s: EncoderSize): number {
  const e = s.embeddingSize ?? s.hiddenSize;
  const h = s.hiddenSize;
  const embeddings = (s.vocabSize + s.maxPositions + s.typeVocabSize) * e + 2 * e + (e !== h ? e * h + h : 0);
  const layer = 4 * (h * h + h) + 2 * h * s.intermediateSize + s.intermediateSize + h + 4 * h;
  return embeddings + s.numLayers * layer + h * h + h;
}

/**
 * The checks across fields, after each field passed its own bound: the heads divide the hidden size, the padding
 * id is a token, and the whole model stays under `MAX_ENCODER_PARAMETERS`. Every family's parsed config ends here,
 * before any tensor is allocated.
 * @throws EngineError(invalidModel) naming the fields, the values and the bound
 */
export function checkEncoderSize(s: EncoderSize, file: string): void {
  if (s.hiddenSize % s.numHeads !== 0) throw invalid(file, `the hidden size ${s.hiddenSize} is not divisible by ${s.numHeads} attention heads (each head takes an equal share)`);
  if (s.padTokenId >= s.vocabSize) throw invalid(file, `pad_token_id ${s.padTokenId} is not a token of the ${s.vocabSize}-token vocabulary (it must be below vocab_size)`);
  const params = encoderParameterCount(s);
  if (params > MAX_ENCODER_PARAMETERS) {
    throw invalid(file, `its sizes describe ${formatBound(Math.round(params / 1e6))} million parameters, over the engine's bound of ${formatBound(MAX_ENCODER_PARAMETERS / 1e6)} million (${formatBound(Math.round((params * 4) / 2 ** 30))} GiB as float32 before training state); pick a smaller model`);
  }
}

/** The most labels an `id2label` may hold: far above any real classifier (ImageNet-22k has 21,843 classes). */
export const MAX_LABELS = 100_000;
/** The longest label name, in UTF-16 units: a label is a name, not a text. */
export const MAX_LABEL_LENGTH = 1000;

/**
 * The labels of a config's `id2label` in id order, or undefined when it has none. Its size is checked before a
 * label is read: at most `MAX_LABELS` entries, keys exactly "0".."K-1", each a string of at most
 * `MAX_LABEL_LENGTH` characters.
 * @throws EngineError(invalidModel) naming the file, the bound and the entry
 */
export function labelsFromId2label(raw: Record<string, unknown>, file: string): string[] | undefined {
  const map = raw.id2label;
  if (map === undefined || map === null) return undefined;
  if (typeof map !== 'object' || Array.isArray(map)) throw invalid(file, '"id2label" must be an object of id → label name');
  const keys = Object.keys(map);
  if (keys.length > MAX_LABELS) throw invalid(file, `"id2label" has ${formatBound(keys.length)} entries, over the engine's bound of ${formatBound(MAX_LABELS)} labels`);
  return keys.map((_, i) => {
    const label = (map as Record<string, unknown>)[String(i)];
    if (typeof label !== 'string') throw invalid(file, `"id2label" lacks id ${i} (ids must be 0..${keys.length - 1}, each naming a label)`);
    if (label.length > MAX_LABEL_LENGTH) throw invalid(file, `"id2label" label ${i} is ${formatBound(label.length)} characters, over the bound of ${formatBound(MAX_LABEL_LENGTH)}`);
    return label;
  });
}
