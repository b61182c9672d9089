// DeBERTa's relative positions (He et al. 2021, "DeBERTa: Decoding-enhanced BERT with Disentangled Attention";
// semantics of transformers' modeling_deberta_v2.py `build_relative_position` and `make_log_bucket_position`):
// the distance from query i to key j is i − j; with `position_buckets` > 0 distances beyond half the bucket count
// are put into logarithmic buckets up to `max_relative_positions`. The attention reads row
// clamp(bucket(i − j) + span, 0, 2·span − 1) of the relative embedding table, for both its content→position and
// position→content terms (the bucket function is odd, so p2c's −bucket(j − i) is the same index).

/** The relative-attention settings of a DeBERTa-v2/v3 config. */
export interface RelativeAttentionConfig {
  /** `position_buckets` (256 in DeBERTa-v3), or ≤ 0 for plain clipped distances. */
  readonly buckets: number;
  /** `max_relative_positions`, or `max_position_embeddings` when the config gives < 1. */
  readonly maxRelative: number;
  /** Half the rows of the relative embedding table: `buckets` when > 0, else `maxRelative`. */
  readonly span: number;
  /** Content→position and position→content terms (`pos_att_type` "c2p", "p2c"). */
  readonly c2p: boolean;
  readonly p2c: boolean;
  /** `share_att_key`: positions are projected by the layer's query/key projections, not their own. */
  readonly shareKey: boolean;
  /** `norm_rel_ebd` "layer_norm": the table passes through `encoder.LayerNorm` before use. */
  readonly normRelEmbedding: boolean;
}

/**
 * The bucket of a relative distance (`make_log_bucket_position`). Torch computes the logarithms in float32; each
 * step here is rounded to float32 the same way, so the `ceil` falls on the same side of an integer.
 * @param rel query position − key position
 */
export function logBucketPosition(rel: number, buckets: number, maxPosition: number): number {
  const mid = Math.floor(buckets / 2);
  if (rel < mid && rel > -mid) return rel;
  const abs = Math.abs(rel);
  if (abs <= mid) return rel;
  const f = Math.fround;
  const ratio = f(Math.log(f(abs / mid)));
  const range = f(Math.log(f((maxPosition - 1) / mid)));
  const logPos = Math.ceil(f(f(f(ratio / range) * (mid - 1)))) + mid;
  return Math.sign(rel) * logPos;
}

/**
 * The row of the relative embedding table used by query `i` and key `j`, `[qLen, kLen]` row-major, for the
 * queries `qStart … qStart + qLen − 1`.
 */
export function relativeIndexTable(rel: RelativeAttentionConfig, qStart: number, qLen: number, kLen: number): Int32Array {
  const out = new Int32Array(qLen * kLen);
  const last = 2 * rel.span - 1;
  for (let a = 0; a < qLen; a++) {
    for (let j = 0; j < kLen; j++) {
      const d = qStart + a - j;
      const bucket = rel.buckets > 0 ? logBucketPosition(d, rel.buckets, rel.maxRelative) : d;
      out[a * kLen + j] = Math.min(last, Math.max(0, bucket + rel.span));
    }
  }
  return out;
}
