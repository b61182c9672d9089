// Embedding lookups in plain JS on the flat parameter buffer: word + position + token-type rows summed per token,
// and the backward pass as a scatter-add of rows. This sidesteps tf.gather, whose gradient kernel
// (UnsortedSegmentSum) is missing on wasm, and avoids uploading the whole vocabulary matrix every step.
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';

/** A padded batch of token ids, row-major `[batch, seqLen]`. */
export interface TokenBatch {
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds?: Int32Array;
  batchSize: number;
  seqLen: number;
}

/**
 * Summed embeddings `[batch·seqLen, embeddingSize]` (before the embedding LayerNorm). Token `t` of a row has
 * position `t + positionOffset` (RoBERTa's `padding_idx + 1` numbering; rows are right-padded, so this equals
 * `create_position_ids_from_input_ids` on every real token, and padding rows never reach the output).
 */
export function embedTokens(cfg: BertConfig, store: ParamStore, batch: TokenBatch): Float32Array {
  const h = cfg.embeddingSize;
  const word = store.get('embeddings.word_embeddings.weight');
  // DeBERTa-v3 has neither positions (relative attention instead) nor token types.
  const pos = cfg.absolutePositions === false ? undefined : store.get('embeddings.position_embeddings.weight');
  const type = cfg.typeVocabSize > 0 ? store.get('embeddings.token_type_embeddings.weight') : undefined;
  const out = new Float32Array(batch.batchSize * batch.seqLen * h);
  for (let b = 0; b < batch.batchSize; b++) {
    for (let t = 0; t < batch.seqLen; t++) {
      const row = b * batch.seqLen + t;
      const o = row * h;
      out.set(word.subarray(batch.inputIds[row] * h, (batch.inputIds[row] + 1) * h), o);
      if (pos) {
        const po = (t + cfg.positionOffset) * h;
        for (let j = 0; j < h; j++) out[o + j] += pos[po + j];
      }
      if (type) {
        const to = (batch.tokenTypeIds ? batch.tokenTypeIds[row] : 0) * h;
        for (let j = 0; j < h; j++) out[o + j] += type[to + j];
      }
    }
  }
  return out;
}

/**
 * Adds the gradient of the summed embeddings (`dEmb [batch·seqLen, embeddingSize]`) into the gradient buffer rows
 * of the word, position and token-type tables (those the model has). Padding positions are skipped: masked keys get
 * softmax weight exactly 0, so their gradient is exactly 0 anyway.
 */
export function scatterEmbeddingGrad(cfg: BertConfig, store: ParamStore, grads: Float32Array, batch: TokenBatch, dEmb: Float32Array): void {
  const h = cfg.embeddingSize;
  const word = store.spec('embeddings.word_embeddings.weight').offset;
  const pos = cfg.absolutePositions === false ? -1 : store.spec('embeddings.position_embeddings.weight').offset;
  const type = cfg.typeVocabSize > 0 ? store.spec('embeddings.token_type_embeddings.weight').offset : -1;
  for (let b = 0; b < batch.batchSize; b++) {
    for (let t = 0; t < batch.seqLen; t++) {
      const row = b * batch.seqLen + t;
      if (!batch.attentionMask[row]) continue;
      const o = row * h;
      const wo = word + batch.inputIds[row] * h;
      for (let j = 0; j < h; j++) grads[wo + j] += dEmb[o + j];
      if (pos >= 0) {
        const po = pos + (t + cfg.positionOffset) * h;
        for (let j = 0; j < h; j++) grads[po + j] += dEmb[o + j];
      }
      if (type >= 0) {
        const to = type + (batch.tokenTypeIds ? batch.tokenTypeIds[row] : 0) * h;
        for (let j = 0; j < h; j++) grads[to + j] += dEmb[o + j];
      }
    }
  }
}
