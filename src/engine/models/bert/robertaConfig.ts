// RoBERTa's config.json (also XLM-RoBERTa and CamemBERT: the same architecture, other vocabularies) read into the
// shared encoder config. Semantics from transformers' modeling_roberta.py: BERT's post-LN encoder; positions
// numbered from `padding_idx + 1` (fairseq), so `max_position_embeddings` is 2 more than the usable length; one
// token type; no pooler, and a classification head of dense + tanh + out_proj with dropout before each linear.
import type { BertConfig } from './bertConfig';
import type { ConfigNumber } from '../nn/configBounds';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** The `model_type`s with RoBERTa's architecture. */
export const ROBERTA_MODEL_TYPES = ['roberta', 'xlm-roberta', 'camembert'] as const;

const architectures = /^(Roberta|XLMRoberta|Camembert)(Model|For[A-Za-z]+)$/;

/**
 * @throws EngineError(invalidModel) naming config.json for an architecture, activation or position embedding
 *   type this encoder does not compute, or a position table too small for its padding offset
 */
export function parseRobertaConfig(raw: Record<string, unknown>, num: ConfigNumber, file: string): BertConfig {
  const fail = (detail: string): EngineError => new EngineError(EngineErrorCodes.invalidModel, detail, { file });
  const archs = Array.isArray(raw.architectures) ? (raw.architectures as unknown[]).map(String) : [];
  const bad = archs.find((a) => !architectures.test(a));
  if (bad) throw fail(`Unsupported architecture ${bad} for model_type "${String(raw.model_type)}": expected Roberta…, XLMRoberta… or Camembert… (Model or For…).`);
  const act = String(raw.hidden_act ?? 'gelu');
  if (act !== 'gelu') throw fail(`Activation "${act}" is not supported (only "gelu", the erf form RoBERTa uses).`);
  const pet = raw.position_embedding_type ?? 'absolute';
  if (pet !== 'absolute') throw fail(`position_embedding_type "${String(pet)}" is not supported (only "absolute").`);
  const padTokenId = num('pad_token_id', 1);
  const maxPositions = num('max_position_embeddings', 514);
  if (maxPositions <= padTokenId + 2) throw fail(`max_position_embeddings ${maxPositions} leaves no room for tokens after the padding offset (pad_token_id ${padTokenId} + 1).`);
  const hiddenDropout = num('hidden_dropout_prob', 0.1);
  return {
    modelType: 'roberta', raw,
    vocabSize: num('vocab_size'), hiddenSize: num('hidden_size'), numLayers: num('num_hidden_layers'),
    numHeads: num('num_attention_heads'), intermediateSize: num('intermediate_size'), maxPositions,
    typeVocabSize: num('type_vocab_size', 1), layerNormEps: num('layer_norm_eps', 1e-12), hiddenDropout,
    attentionDropout: num('attention_probs_dropout_prob', 0.1),
    classifierDropout: typeof raw.classifier_dropout === 'number' ? num('classifier_dropout') : hiddenDropout,
    initializerRange: num('initializer_range', 0.02), padTokenId,
    poolerActivation: 'tanh', dropoutBeforePooler: true, embeddingSize: num('hidden_size'), positionOffset: padTokenId + 1,
  };
}
