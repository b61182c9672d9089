// The tokenizer contract the model and the training loop use, whatever files it was built from.

/** A batch of encoded texts, row-major `[batchSize, seqLen]`, padded to the longest row in the batch. */
export interface EncodedBatch {
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  /** All 0 for single-sentence inputs (segment A). */
  tokenTypeIds: Int32Array;
  batchSize: number;
  seqLen: number;
}

export interface EncodeBatchOptions {
  /** Rows longer than this are truncated, keeping the leading [CLS] and the trailing [SEP]; default `modelMaxLength`. */
  maxLength?: number;
}

/** Which files the tokenizer was built from. */
export type TokenizerSource = 'tokenizer.json' | 'vocab.txt' | 'vocab.json+merges.txt' | 'spm.model';

/** Ids of the special tokens a BERT-family model needs. */
export interface SpecialTokenIds {
  pad: number;
  unk: number;
  cls: number;
  sep: number;
  mask?: number;
}

/** A text → token-ids tokenizer for one model folder (BERT-family WordPiece). */
export interface TextTokenizer {
  readonly source: TokenizerSource;
  /** Our WordPiece code, or @huggingface/tokenizers (for tokenizer.json files that are not plain BERT WordPiece). */
  readonly implementation: 'wordpiece' | '@huggingface/tokenizers';
  /** Number of ids the model's embedding must cover (largest id + 1). */
  readonly vocabSize: number;
  readonly specialIds: SpecialTokenIds;
  /** `model_max_length` from tokenizer_config.json when sensible, else 512. */
  readonly modelMaxLength: number;
  /** Ids of one text with [CLS] ... [SEP], truncated to `maxLength` (default `modelMaxLength`). */
  encode(text: string, maxLength?: number): number[];
  /** Ids of many texts, truncated and padded to the longest row of the batch. */
  encodeBatch(texts: readonly string[], options?: EncodeBatchOptions): EncodedBatch;
  /** The token string of an id (for reports and debugging). */
  idToToken(id: number): string | undefined;
}
