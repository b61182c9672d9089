// DeBERTa-v2/v3's config.json (`model_type` "deberta-v2") read into the shared encoder config. Semantics from
// transformers' configuration_deberta_v2.py / modeling_deberta_v2.py: BERT's post-LN layers with disentangled
// attention over relative positions (models/nn/relativePositions.ts, disentangledAttention.ts), no absolute
// positions when `position_biased_input` is false (v3), no token types when `type_vocab_size` is 0 (v3), and
// ContextPooler (dropout `pooler_dropout`, dense, `pooler_hidden_act`) before the classifier (dropout
// `cls_dropout`, else `hidden_dropout_prob`). It runs on the BERT encoder code, hence this file beside BERT's.
import type { BertConfig } from './bertConfig';
import type { ConfigNumber } from '../nn/configBounds';
import type { RelativeAttentionConfig } from '../nn/relativePositions';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

const architectures = /^DebertaV2(Model|For[A-Za-z]+)$/;

/** `pos_att_type` as the config class reads it: a list, or a "p2c|c2p" string. */
function positionTerms(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.toLowerCase().split('|').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.map((v) => String(v).toLowerCase().trim());
  return [String(value)];
}

/**
 * @throws EngineError(invalidModel) naming config.json for what this encoder does not compute: an architecture
 *   other than DebertaV2…, an activation other than GELU, the convolution layer (`conv_kernel_size` > 0, DeBERTa-v2
 *   xlarge), no relative attention, an `attention_head_size` or `embedding_size` other than the hidden size's
 *   share, a `pos_att_type` term other than c2p/p2c
 */
export function parseDebertaConfig(raw: Record<string, unknown>, num: ConfigNumber, file: string): BertConfig {
  const fail = (detail: string): EngineError => new EngineError(EngineErrorCodes.invalidModel, detail, { file });
  const archs = Array.isArray(raw.architectures) ? (raw.architectures as unknown[]).map(String) : [];
  const bad = archs.find((a) => !architectures.test(a));
  if (bad) throw fail(`Unsupported architecture ${bad} for model_type "deberta-v2": expected DebertaV2Model or DebertaV2For….`);
  const act = String(raw.hidden_act ?? 'gelu');
  if (act !== 'gelu') throw fail(`Activation "${act}" is not supported (only "gelu", the erf form DeBERTa uses).`);
  const poolerAct = String(raw.pooler_hidden_act ?? 'gelu');
  if (poolerAct !== 'gelu' && poolerAct !== 'tanh' && poolerAct !== 'relu') throw fail(`pooler_hidden_act "${poolerAct}" is not supported (gelu, tanh or relu).`);
  if (typeof raw.conv_kernel_size === 'number' && raw.conv_kernel_size > 0) {
    throw fail(`conv_kernel_size ${raw.conv_kernel_size}: the convolution layer of DeBERTa-v2 (xlarge/xxlarge) is not supported; DeBERTa-v3 checkpoints have none.`);
  }
  if (raw.relative_attention !== true) throw fail('relative_attention is not true: DeBERTa without relative attention is not supported (every published v2/v3 checkpoint uses it).');
  const hiddenSize = num('hidden_size');
  const numHeads = num('num_attention_heads');
  if (raw.attention_head_size !== undefined && raw.attention_head_size !== hiddenSize / numHeads) {
    throw fail(`attention_head_size ${String(raw.attention_head_size)} is not hidden_size / num_attention_heads (${hiddenSize / numHeads}); such heads are not supported.`);
  }
  if (raw.embedding_size !== undefined && raw.embedding_size !== hiddenSize) {
    throw fail(`embedding_size ${String(raw.embedding_size)} differs from hidden_size ${hiddenSize}: DeBERTa's embed_proj is not supported (DeBERTa-v3 small/base/large have none).`);
  }
  if (raw.pooler_hidden_size !== undefined && raw.pooler_hidden_size !== hiddenSize) throw fail(`pooler_hidden_size ${String(raw.pooler_hidden_size)} differs from hidden_size ${hiddenSize}; not supported.`);
  const terms = positionTerms(raw.pos_att_type);
  const unknown = terms.find((t) => t !== 'c2p' && t !== 'p2c');
  if (unknown) throw fail(`pos_att_type "${unknown}" is not supported (c2p and p2c are).`);
  const maxPositions = num('max_position_embeddings', 512);
  const maxRel = typeof raw.max_relative_positions === 'number' && raw.max_relative_positions >= 1 ? num('max_relative_positions') : maxPositions;
  const buckets = typeof raw.position_buckets === 'number' && raw.position_buckets > 0 ? num('position_buckets') : -1;
  const norm = String(raw.norm_rel_ebd ?? 'none').toLowerCase().split('|').map((s) => s.trim());
  const relativeAttention: RelativeAttentionConfig = {
    buckets, maxRelative: maxRel, span: buckets > 0 ? buckets : maxRel, c2p: terms.includes('c2p'), p2c: terms.includes('p2c'),
    shareKey: raw.share_att_key === true, normRelEmbedding: norm.includes('layer_norm'),
  };
  const hiddenDropout = num('hidden_dropout_prob', 0.1);
  return {
    modelType: 'deberta-v2', raw,
    vocabSize: num('vocab_size'), hiddenSize, numLayers: num('num_hidden_layers'), numHeads,
    intermediateSize: num('intermediate_size'), maxPositions, typeVocabSize: num('type_vocab_size', 0),
    layerNormEps: num('layer_norm_eps', 1e-7), hiddenDropout, attentionDropout: num('attention_probs_dropout_prob', 0.1),
    classifierDropout: typeof raw.cls_dropout === 'number' ? num('cls_dropout') : hiddenDropout,
    poolerDropout: typeof raw.pooler_dropout === 'number' ? num('pooler_dropout') : 0,
    initializerRange: num('initializer_range', 0.02), padTokenId: num('pad_token_id', 0),
    poolerActivation: poolerAct, dropoutBeforePooler: true, embeddingSize: hiddenSize, positionOffset: 0,
    relativeAttention, absolutePositions: raw.position_biased_input !== false,
  };
}
