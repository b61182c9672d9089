// Truncation and dynamic padding shared by every tokenizer: content ids in, padded row-major tensors out.
import type { EncodedBatch } from './textTokenizer';

/**
 * Builds `[prefix, ...content, suffix]` rows truncated to `maxLength` (the special tokens are always kept, as
 * Hugging Face truncation does for single sentences) and padded to the longest row in the batch.
 * @param contents token ids of each text without special tokens
 * @param prefix ids placed before the content (BERT: [CLS])
 * @param suffix ids placed after the content (BERT: [SEP])
 * @param padId id written into padding positions (their attention mask is 0)
 * @param maxLength longest row allowed, including the special tokens; must leave room for at least them
 */
export function packBatch(
  contents: readonly (readonly number[])[],
  prefix: readonly number[],
  suffix: readonly number[],
  padId: number,
  maxLength: number,
): EncodedBatch {
  const specials = prefix.length + suffix.length;
  if (!(maxLength >= specials + 1)) throw new RangeError(`maxLength must be at least ${specials + 1}, got ${maxLength}`);
  const keep = maxLength - specials;
  const batchSize = contents.length;
  let seqLen = 0;
  for (const c of contents) seqLen = Math.max(seqLen, Math.min(c.length, keep) + specials);
  const inputIds = new Int32Array(batchSize * seqLen);
  const attentionMask = new Int32Array(batchSize * seqLen);
  if (padId !== 0) inputIds.fill(padId);
  for (let row = 0; row < batchSize; row++) {
    const content = contents[row];
    const n = Math.min(content.length, keep);
    let at = row * seqLen;
    const start = at;
    for (const id of prefix) inputIds[at++] = id;
    for (let i = 0; i < n; i++) inputIds[at++] = content[i];
    for (const id of suffix) inputIds[at++] = id;
    attentionMask.fill(1, start, at);
  }
  return { inputIds, attentionMask, tokenTypeIds: new Int32Array(batchSize * seqLen), batchSize, seqLen };
}

/** One row `[prefix, ...content (truncated), suffix]` as a plain array. */
export function packOne(content: readonly number[], prefix: readonly number[], suffix: readonly number[], maxLength: number): number[] {
  const keep = Math.max(0, maxLength - prefix.length - suffix.length);
  return [...prefix, ...(content.length > keep ? content.slice(0, keep) : content), ...suffix];
}
