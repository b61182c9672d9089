// The typed, frozen model configuration read from a Hugging Face config.json: BERT and DistilBERT here; RoBERTa
// (robertaConfig.ts) and ELECTRA (electraConfig.ts) are variants of this encoder, dispatched from here. They live
// beside BERT, not in folders of their own, because they run BERT's compute and families may not import each other.
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { useNgramModel } from '../../../common/optionWording';
import { readConfigJsonSync } from '../nn/readConfigJson';
import { checkEncoderSize, configNumberReader, describeConfigValue, type ConfigNumber, type EncoderDimensions } from '../nn/configBounds';
import { parseRobertaConfig, ROBERTA_MODEL_TYPES } from './robertaConfig';
import { parseElectraConfig } from './electraConfig';
import { parseDebertaConfig } from './debertaConfig';
import type { RelativeAttentionConfig } from '../nn/relativePositions';

/** The encoder families that share the BERT encoder code (post-LN layers, learned absolute positions). */
export type BertArchitecture = 'bert' | 'distilbert' | 'roberta' | 'electra' | 'deberta-v2';

/** Architecture-neutral view of an encoder config; `raw` keeps the original keys for export. */
export interface BertConfig extends EncoderDimensions {
  readonly modelType: BertArchitecture;
  /** 0 for DistilBERT, which has no token-type embeddings. */
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  readonly classifierDropout: number;
  readonly initializerRange: number;
  /**
   * The dense layer between [CLS] and the classifier (internal `pooler.dense`) and its activation: BERT's pooler
   * (tanh), DistilBERT's pre_classifier (ReLU), RoBERTa's classification head dense (tanh), ELECTRA's (GELU).
   */
  readonly poolerActivation: 'tanh' | 'relu' | 'gelu';
  /** RoBERTa and ELECTRA heads apply dropout to [CLS] before their dense layer as well as after it. */
  readonly dropoutBeforePooler: boolean;
  /** Width of the embedding tables: ELECTRA's `embedding_size`, projected to `hiddenSize`; else `hiddenSize`. */
  readonly embeddingSize: number;
  /**
   * Position id of the first token: 0, or RoBERTa's `padding_idx + 1` (fairseq numbers positions after the
   * padding index). Usable sequence length is `maxPositions - positionOffset`.
   */
  readonly positionOffset: number;
  /**
   * DeBERTa-v2/v3: disentangled attention over relative positions (debertaConfig.ts). Absent for the others.
   */
  readonly relativeAttention?: RelativeAttentionConfig;
  /** False when the model has no absolute position table (DeBERTa's `position_biased_input: false`); default true. */
  readonly absolutePositions?: boolean;
  /** Dropout on [CLS] before the pooler when it differs from `classifierDropout` (DeBERTa's `pooler_dropout`). */
  readonly poolerDropout?: number;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A variant's parser: the raw config (model_type already matched) → its BertConfig, numbers read through `num`. */
export type FamilyConfigParser = (raw: Record<string, unknown>, num: ConfigNumber, file: string) => BertConfig;

/** The variants that reuse this encoder, parsed in their own files (they import only types from here). */
const familyParsers = new Map<string, FamilyConfigParser>([
  ...ROBERTA_MODEL_TYPES.map((t): [string, FamilyConfigParser] => [t, parseRobertaConfig]),
  ['electra', parseElectraConfig],
  ['deberta-v2', parseDebertaConfig],
]);

/** Every `model_type` this encoder loads (the engine's whole list is `supportedModelTypes` in classifier/createClassifier.ts). */
export function bertFamilyModelTypes(): string[] {
  return ['bert', 'distilbert', ...familyParsers.keys()];
}

/**
 * Throws when the engine cannot train a model with this config.json (given to `resolveModel` as `checkConfig`,
 * so a Hub download stops after config.json, before any weight is requested).
 * @throws EngineError(invalidModel) naming `file`
 */
export function checkEncoderConfig(raw: Record<string, unknown>, file: string): void {
  parseBertConfig(raw, file);
}

/** The refusal of a config whose `model_type` no family handles, listing the ones that are. */
export function unsupportedModelType(modelType: unknown, file: string): EngineError {
  return EngineError.worded(EngineErrorCodes.invalidModel, (s) => `Unsupported model_type ${JSON.stringify(modelType)}: the engine trains ${bertFamilyModelTypes().map((t) => `"${t}"`).join(', ')} encoders. Pick such a checkpoint, or ${useNgramModel(s)}.`, { file });
}

const bertArchitectures = /^(Bert|DistilBert)(Model|For[A-Za-z]+)$/;

/**
 * Reads and validates `<dir>/config.json` (a regular file within its byte cap, every size within its bound).
 * @throws EngineError(invalidModel) naming the file when it is missing, too large, not a regular file, not JSON, not
 *   a BERT/DistilBERT config, or has a value outside its bound (`configBounds.ts`).
 */
export function readBertConfig(dir: string): BertConfig {
  const { raw, file } = readConfigJsonSync(dir);
  return parseBertConfig(raw, file);
}

/** Validates a parsed config object; `file` is only used in error messages. */
export function parseBertConfig(raw: Record<string, unknown>, file = 'config.json'): BertConfig {
  const modelType = raw.model_type;
  const family = typeof modelType === 'string' ? familyParsers.get(modelType) : undefined;
  if (family) return checkShape(family(raw, configNumberReader(raw, modelType, file), file), file);
  if (modelType !== 'bert' && modelType !== 'distilbert') throw unsupportedModelType(modelType, file);
  const archs = Array.isArray(raw.architectures) ? (raw.architectures as unknown[]) : [];
  const badArch = archs.find((a) => typeof a !== 'string' || !bertArchitectures.test(a));
  if ((modelType !== 'bert' && modelType !== 'distilbert') || badArch) {
    const what = modelType !== 'bert' && modelType !== 'distilbert' ? `model_type ${describeConfigValue(modelType)}` : `architecture ${typeof badArch === 'string' ? badArch : describeConfigValue(badArch)}`;
    throw EngineError.worded(EngineErrorCodes.invalidModel, (s) => `Unsupported ${what}: the engine trains BERT-family encoders (model_type "bert", e.g. BERT, MiniLM) and DistilBERT ("distilbert"). Pick such a checkpoint, or ${useNgramModel(s)}.`, { file });
  }
  const num = configNumberReader(raw, modelType, file);
  const act = raw[modelType === 'bert' ? 'hidden_act' : 'activation'] ?? 'gelu';
  if (act !== 'gelu') {
    throw new EngineError(EngineErrorCodes.invalidModel, `Activation ${describeConfigValue(act)} is not supported (only "gelu", the erf form used by BERT and DistilBERT).`, { file });
  }
  if (modelType === 'bert') {
    const pet = raw.position_embedding_type ?? 'absolute';
    if (pet !== 'absolute') throw new EngineError(EngineErrorCodes.invalidModel, `position_embedding_type ${describeConfigValue(pet)} is not supported (only "absolute").`, { file });
    const hiddenDropout = num('hidden_dropout_prob', 0.1);
    const cfg: BertConfig = {
      modelType, raw,
      vocabSize: num('vocab_size'), hiddenSize: num('hidden_size'), numLayers: num('num_hidden_layers'),
      numHeads: num('num_attention_heads'), intermediateSize: num('intermediate_size'),
      maxPositions: num('max_position_embeddings', 512), typeVocabSize: num('type_vocab_size', 2),
      layerNormEps: num('layer_norm_eps', 1e-12), hiddenDropout,
      attentionDropout: num('attention_probs_dropout_prob', 0.1),
      classifierDropout: typeof raw.classifier_dropout === 'number' ? num('classifier_dropout') : hiddenDropout,
      initializerRange: num('initializer_range', 0.02), padTokenId: num('pad_token_id', 0), poolerActivation: 'tanh',
      dropoutBeforePooler: false, embeddingSize: num('hidden_size'), positionOffset: 0,
    };
    return checkShape(cfg, file);
  }
  const cfg: BertConfig = {
    modelType, raw,
    vocabSize: num('vocab_size'), hiddenSize: num('dim'), numLayers: num('n_layers'), numHeads: num('n_heads'),
    intermediateSize: num('hidden_dim'), maxPositions: num('max_position_embeddings', 512), typeVocabSize: 0,
    // DistilBERT's LayerNorms use PyTorch's default epsilon.
    layerNormEps: 1e-12, hiddenDropout: num('dropout', 0.1), attentionDropout: num('attention_dropout', 0.1),
    classifierDropout: num('seq_classif_dropout', 0.2), initializerRange: num('initializer_range', 0.02),
    padTokenId: num('pad_token_id', 0), poolerActivation: 'relu', dropoutBeforePooler: false, embeddingSize: num('dim'), positionOffset: 0,
  };
  if (raw.sinusoidal_pos_embds === true) {
    throw new EngineError(EngineErrorCodes.invalidModel, 'sinusoidal_pos_embds is not supported (only learned position embeddings).', { file });
  }
  return checkShape(cfg, file);
}

/** The checks across fields (heads divide the width, total size under its bound) before anything is allocated. */
function checkShape(cfg: BertConfig, file: string): BertConfig {
  checkEncoderSize(cfg, file);
  return Object.freeze(cfg);
}
