// Dynamic int8 quantisation of an OnnxGraph, the pass ONNX Runtime's `quantize_dynamic` applies with its defaults
// (onnxruntime/python/tools/quantization: quantize.py `quantize_dynamic`, operators/matmul.py `MatMulInteger`,
// operators/gather.py `GatherQuant`, quant_utils.py `compute_scale_zp` / `get_qmin_qmax_for_qType` /
// `quantize_nparray`), so `model_quantized.onnx` is the file Optimum and transformers.js users expect:
//
// - Weights: int8, **symmetric per-tensor** (quantize_dynamic's defaults: weight_type QInt8, per_channel False,
//   WeightSymmetric True, reduce_range False): scale = max|w| / 127, zero point 0, q = clip(round(w / scale), −127, 127)
//   with round half to even (numpy's `round`).
// - Activations: uint8, asymmetric, per tensor, computed at run time by `DynamicQuantizeLinear` (one per activation,
//   shared by every MatMul that reads it, as ORT's quantized_value_map does).
// - `Y = MatMul(A, B)`, B a 2-D float32 initializer (MatMulConstBOnly, on by default for dynamic quantisation), becomes
//   `DynamicQuantizeLinear(A) → MatMulInteger(A_q, B_q, A_zp, B_zp) → Cast(float) → Mul(·, A_scale · B_scale) = Y`;
//   the bias `Add` that followed the MatMul reads Y unchanged.
// - `Y = Gather(T, idx)`, T a 2-D float32 initializer (the embedding tables), becomes
//   `Gather(T_q, idx) → DequantizeLinear(·, T_scale, T_zp) = Y`: rows are looked up in int8 and widened.
// Everything else (LayerNorm, Softmax, the attention products of two activations, biases) stays float32.
import { OnnxType } from '../../tensorFiles/onnxProto';
import { OnnxGraph, type OnnxInitializer, type OnnxNode } from './onnxGraph';

/** int8 symmetric range: ORT's ONNX_INT_TYPE_SYMMETRIC_RANGE for INT8 (−127 … 127, so zero is exact and ±max match). */
const QMAX = 127;

/** A weight in int8 with its scale and zero point, as named initializers. */
interface QuantizedWeight {
  q: string;
  scale: string;
  zeroPoint: string;
}

/** Round half to even, as numpy's `round` (and ONNX's QuantizeLinear) do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Symmetric per-tensor int8 quantisation of `w`: `scale = max|w| / 127` (1 when w is all zeros, as ORT's
 * compute_scale_zp), zero point 0, `q = clip(round(w / scale), −127, 127)` (division in float32, as numpy does).
 */
export function quantizeSymmetricInt8(w: Float32Array): { q: Int8Array; scale: number } {
  let absMax = 0;
  for (let i = 0; i < w.length; i++) absMax = Math.max(absMax, Math.abs(w[i]!));
  const scale = absMax > 0 ? Math.fround(absMax / QMAX) : 1;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-QMAX, Math.min(QMAX, roundHalfEven(Math.fround(w[i]! / scale))));
  return { q, scale };
}

/** Whether a quantisable weight: a 2-D float32 initializer (Linear weights `[in, out]`, embedding tables `[rows, dim]`). */
function isWeight(t: OnnxInitializer | undefined): t is OnnxInitializer & { data: Float32Array } {
  return t !== undefined && t.dims.length === 2 && t.data instanceof Float32Array;
}

/** Counts of what the pass rewrote, for tests and logs. */
export interface QuantizeSummary {
  matMuls: number;
  gathers: number;
}

/**
 * A new graph with every MatMul whose B is a 2-D float32 initializer, and every Gather from such a table along
 * axis 0, quantised as above; `graph` is left as it was (the float32 model is written from it too). Unchanged
 * initializers are shared, not copied. A weight read by several nodes is quantised once; a float weight no node
 * reads any more is dropped.
 */
export function quantizeDynamicInt8(graph: OnnxGraph): { graph: OnnxGraph; summary: QuantizeSummary } {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const out = new OnnxGraph();
  const added: OnnxInitializer[] = [];
  const weights = new Map<string, QuantizedWeight>();
  const activations = new Map<string, { q: string; scale: string; zeroPoint: string }>();
  const summary: QuantizeSummary = { matMuls: 0, gathers: 0 };

  const weight = (t: OnnxInitializer & { data: Float32Array }): QuantizedWeight => {
    let w = weights.get(t.name);
    if (!w) {
      const { q, scale } = quantizeSymmetricInt8(t.data);
      w = { q: `${t.name}_quantized`, scale: `${t.name}_scale`, zeroPoint: `${t.name}_zero_point` };
      added.push({ name: w.q, dims: t.dims, data: q }, { name: w.scale, dims: [], data: Float32Array.of(scale) }, { name: w.zeroPoint, dims: [], data: Int8Array.of(0) });
      weights.set(t.name, w);
    }
    return w;
  };
  const activation = (name: string): { q: string; scale: string; zeroPoint: string } => {
    let a = activations.get(name);
    if (!a) {
      a = { q: `${name}_quantized`, scale: `${name}_scale`, zeroPoint: `${name}_zero_point` };
      out.nodes.push({ opType: 'DynamicQuantizeLinear', inputs: [name], outputs: [a.q, a.scale, a.zeroPoint], attrs: {} });
      activations.set(name, a);
    }
    return a;
  };

  for (const node of graph.nodes) {
    const [y] = node.outputs as [string];
    const b = node.opType === 'MatMul' ? initializers.get(node.inputs[1]!) : undefined;
    const table = node.opType === 'Gather' && gatherAxis(node) === 0 ? initializers.get(node.inputs[0]!) : undefined;
    if (isWeight(b)) {
      const a = activation(node.inputs[0]!);
      const w = weight(b);
      const product = out.op('MatMulInteger', [a.q, w.q, a.zeroPoint, w.zeroPoint], {}, `${y}_output_quantized`);
      const asFloat = out.op('Cast', [product], { to: { i: OnnxType.float } }, `${product}_cast_output`);
      const scales = out.op('Mul', [a.scale, w.scale], {}, `${y}_scales_mul`);
      out.op('Mul', [asFloat, scales], {}, y);
      summary.matMuls++;
    } else if (isWeight(table)) {
      const w = weight(table);
      const rows = out.op('Gather', [w.q, node.inputs[1]!], node.attrs, `${y}_quantized`);
      out.op('DequantizeLinear', [rows, w.scale, w.zeroPoint], {}, y);
      summary.gathers++;
    } else {
      out.nodes.push(node);
    }
  }
  const read = new Set(out.nodes.flatMap((n) => n.inputs));
  for (const t of [...graph.initializers, ...added]) if (read.has(t.name)) out.initializers.push(t);
  return { graph: out, summary };
}

/** A Gather's axis attribute (default 0). */
function gatherAxis(node: OnnxNode): number {
  const axis = node.attrs.axis;
  return axis && 'i' in axis ? axis.i : 0;
}
