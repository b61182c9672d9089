// DeBERTa's disentangled attention as ONNX nodes (opset 17), the same computation as disentangledAttention.ts and
// encoder.ts for any sequence length T known only at run time:
//   scores = (q·kᵀ + c2p + p2c) / √(d · (1 + #terms))
//   c2p[b, h, i, j] = (q · posKᵀ)[b, h, i, r(i, j)]      p2c[b, h, i, j] = (k · posQᵀ)[b, h, j, r(i, j)]
// r(i, j), the relative table row, depends on i − j only, and beyond some distance it is the table's first or last
// row (relativeIndexTable clamps a bucket that never decreases with the distance). So the graph holds one constant
// row per distance in [−bound, bound], clips i − j to it and gathers: exact for every T, from the engine's own
// relativePositions.ts function (no float logarithms recomputed in the graph). GatherElements (as Optimum's export of
// torch.gather) rather than a Gather over a transposed [T·2·span, B·heads] layout: that one needs less memory but
// ran 1.4–1.6× slower in ONNX Runtime (base width, 2 layers, 4 × 512 and 8 × 256 tokens, loaded machine).
import type { OnnxGraph } from './onnxGraph';
import { relativeIndexTable, type RelativeAttentionConfig } from './relativePositions';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** Distances searched for the saturation bound (DeBERTa-v3's 256 buckets over 512 positions saturate at 512). */
const maxBound = 1 << 16;

/**
 * The relative table row of every distance i − j in `[−bound, bound]`, entry `e` for distance `bound − e`, with
 * `bound` the smallest distance from which rows are the table's last (i − j ≥ bound) and first (i − j ≤ −bound).
 * @throws EngineError(invalidModel) when the rows do not saturate within 65,536 positions (position_buckets < 4, or
 *   odd and tiny, give such tables; no published checkpoint has them)
 */
export function relativeDistanceRows(rel: RelativeAttentionConfig): { bound: number; rows: Int32Array } {
  const last = 2 * rel.span - 1;
  const row = (distance: number): number => relativeIndexTable(rel, distance, 1, 1)[0];
  let bound = 1;
  while (bound <= maxBound && !(row(bound) === last && row(-bound) === 0)) bound++;
  if (bound > maxBound) {
    throw new EngineError(EngineErrorCodes.invalidModel, `ONNX export: DeBERTa's relative positions (position_buckets ${rel.buckets}, max_relative_positions ${rel.maxRelative}) do not reach the ends of the relative table within ${maxBound} tokens, so no finite table covers every sequence length.`, { file: 'config.json' });
  }
  return { bound, rows: relativeIndexTable(rel, bound, 1, 2 * bound + 1) };
}

/**
 * The relative table row for queries × keys, `[T, T]` int32: GatherElements' indices are expanded to
 * `[B, heads, T, T]`, so int32 halves the largest int tensors of the graph (~0.3 GB less peak memory measured at
 * batch 8 × 512 tokens, 12 heads; same speed).
 * @param seqLen the scalar int64 sequence length T
 */
export function relativeIndexNodes(g: OnnxGraph, rel: RelativeAttentionConfig, seqLen: string): string {
  const { bound, rows } = relativeDistanceRows(rel);
  const table = g.initializer(g.fresh('relative_rows'), [rows.length], rows);
  const positions = g.op('Range', [g.constI([0], []), seqLen, g.constI([1], [])]);
  const distance = g.op('Sub', [g.op('Unsqueeze', [positions, g.constI([1])]), g.op('Unsqueeze', [positions, g.constI([0])])]); // i − j
  const clipped = g.op('Max', [g.op('Min', [distance, g.constI([bound], [])]), g.constI([-bound], [])]);
  return g.op('Gather', [table, g.op('Sub', [g.constI([bound], []), clipped])], { axis: { i: 0 } });
}

/** Projected relative table `[2·span, heads·d]` → `[heads, d, 2·span]` (transposed, per head, for q·posᵀ). */
export function perHeadPositions(g: OnnxGraph, projected: string, heads: number, d: number): string {
  return g.op('Transpose', [g.op('Reshape', [projected, g.constI([-1, heads, d])])], { perm: { ints: [1, 2, 0] } });
}

export interface DisentangledInputs {
  /** Queries and keys `[B, heads, T, d]`. */
  q: string;
  k: string;
  /** Per-head projected positions `[heads, d, 2·span]` (perHeadPositions), when the term is on. */
  posKeyT?: string;
  posQueryT?: string;
  /** relativeIndexNodes broadcast to `[B, heads, T, T]`, and its transpose (key-major) likewise. */
  index: string;
  indexT: string;
}

/**
 * The unscaled relative terms c2p + p2c, `[B, heads, T, T]` (add to q·kᵀ, then divide by the scale), or undefined
 * when neither term is on.
 */
export function disentangledTermNodes(g: OnnxGraph, x: DisentangledInputs): string | undefined {
  const terms: string[] = [];
  if (x.posKeyT) terms.push(g.op('GatherElements', [g.op('MatMul', [x.q, x.posKeyT]), x.index], { axis: { i: -1 } }));
  if (x.posQueryT) {
    // Gathered key-major ([b, h, j, i]) and transposed back to query-major.
    const keyMajor = g.op('GatherElements', [g.op('MatMul', [x.k, x.posQueryT]), x.indexT], { axis: { i: -1 } });
    terms.push(g.op('Transpose', [keyMajor], { perm: { ints: [0, 1, 3, 2] } }));
  }
  if (terms.length === 0) return undefined;
  return terms.length === 1 ? terms[0] : g.op('Add', terms);
}
