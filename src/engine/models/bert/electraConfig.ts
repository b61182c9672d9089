// ELECTRA discriminators' config.json read into the shared encoder config. Semantics from transformers'
// modeling_electra.py: BERT's embeddings and post-LN encoder, but the embedding tables (and their LayerNorm) are
// `embedding_size` wide and projected to `hidden_size` by `embeddings_project` when the two differ (the small
// models); no pooler; the classification head is dense + GELU + out_proj with dropout before each linear.
import type { BertConfig } from './bertConfig';
import type { ConfigNumber } from '../nn/configBounds';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

const architectures = /^Electra(Model|For[A-Za-z]+)$/;

/**
 * @throws EngineError(invalidModel) naming config.json for an architecture, activation or position embedding type
 *   this encoder does not compute
 */
export function parseElectraConfig(raw: Record<string, unknown>, num: ConfigNumber, file: string): BertConfig {
  const fail = (detail: string): EngineError => new EngineError(EngineErrorCodes.invalidModel, detail, { file });
  const archs = Array.isArray(raw.architectures) ? (raw.architectures as unknown[]).map(String) : [];
  const bad = archs.find((a) => !architectures.test(a));
  if (bad) throw fail(`Unsupported architecture ${bad} for model_type "electra": expected ElectraModel or ElectraFor….`);
  if (archs.some((a) => a === 'ElectraForMaskedLM')) {
    throw fail('This is an ELECTRA generator (ElectraForMaskedLM); fine-tune the discriminator (e.g. google/electra-base-discriminator) instead.');
  }
  const act = String(raw.hidden_act ?? 'gelu');
  if (act !== 'gelu') throw fail(`Activation "${act}" is not supported (only "gelu", the erf form ELECTRA uses).`);
  const pet = raw.position_embedding_type ?? 'absolute';
  if (pet !== 'absolute') throw fail(`position_embedding_type "${String(pet)}" is not supported (only "absolute").`);
  const hiddenSize = num('hidden_size');
  const hiddenDropout = num('hidden_dropout_prob', 0.1);
  return {
    modelType: 'electra', raw,
    vocabSize: num('vocab_size'), hiddenSize, numLayers: num('num_hidden_layers'),
    numHeads: num('num_attention_heads'), intermediateSize: num('intermediate_size'),
    maxPositions: num('max_position_embeddings', 512), typeVocabSize: num('type_vocab_size', 2),
    layerNormEps: num('layer_norm_eps', 1e-12), hiddenDropout, attentionDropout: num('attention_probs_dropout_prob', 0.1),
    classifierDropout: typeof raw.classifier_dropout === 'number' ? num('classifier_dropout') : hiddenDropout,
    initializerRange: num('initializer_range', 0.02), padTokenId: num('pad_token_id', 0),
    poolerActivation: 'gelu', dropoutBeforePooler: true, embeddingSize: num('embedding_size', hiddenSize), positionOffset: 0,
  };
}
