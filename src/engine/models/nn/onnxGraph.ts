// An ONNX graph under construction, shared by every family's export (bert/exportOnnx.ts, …): nodes and
// initializers kept as plain data until `toModel` serialises them, so a pass (int8 quantisation) can rewrite the
// graph first. Opset 17, IR version 8 (ONNX 1.13+), as ONNX Runtime and @huggingface/transformers load.
import { nodeProto, OnnxType, ProtoWriter, tensorProto, valueInfo, type AttrValue, type OnnxTensorData } from '../../tensorFiles/onnxProto';

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** Row-major elements; the typed array gives the element type (float32, int64, int32, int8, uint8). */
  data: OnnxTensorData;
}

/** A graph input or output: name, element type (OnnxType), dims (strings are symbolic: `batch_size`). */
export interface OnnxValue {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

export const ONNX_OPSET = 17;

export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private counter = 0;

  /** A name no other value of this graph has: `<hint>_<n>`. */
  fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  /** Appends one operator; returns its (first) output's name, `output` when given, else a fresh one. */
  op(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const out = output ?? this.fresh(type.toLowerCase());
    this.nodes.push({ opType: type, inputs, outputs: [out], attrs });
    return out;
  }

  /** A named weight (HF tensor name), `dims` as stored; returns its name. */
  initializer(name: string, dims: number[], data: OnnxTensorData): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** A float32 scalar constant. */
  constF(value: number): string {
    return this.initializer(this.fresh('c'), [], Float32Array.of(value));
  }

  /** An int64 constant, a vector by default (`dims` [] makes a scalar). */
  constI(values: number[], dims: number[] = [values.length]): string {
    return this.initializer(this.fresh('ci'), dims, BigInt64Array.from(values.map(BigInt)));
  }

  /** x·W (+ b): `x [..., in]`, W an initializer `[in, out]` (HF's Linear weight transposed). */
  linear(x: string, weight: string, bias?: string): string {
    const y = this.op('MatMul', [x, weight]);
    return bias ? this.op('Add', [y, bias]) : y;
  }

  /** LayerNormalization over the last axis; without `bias` (ModernBERT) the op's own default of zeros. */
  layerNorm(x: string, weight: string, bias: string | undefined, epsilon: number): string {
    return this.op('LayerNormalization', bias ? [x, weight, bias] : [x, weight], { axis: { i: -1 }, epsilon: { f: epsilon } });
  }

  /** GELU, the exact (erf) form: 0.5·x·(1 + erf(x/√2)), as torch.nn.functional.gelu. */
  geluErf(x: string): string {
    return this.op('Mul', [this.op('Mul', [x, this.constF(0.5)]), this.op('Add', [this.op('Erf', [this.op('Mul', [x, this.constF(Math.SQRT1_2)])]), this.constF(1)])]);
  }

  /** Elements `start … end−1` of `x` along `axis` (Slice with constant bounds; `end` past the size clamps). */
  slice(x: string, start: number, end: number, axis: number): string {
    return this.op('Slice', [x, this.constI([start]), this.constI([end]), this.constI([axis])]);
  }

  /** GELU, the tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as gelu(approximate="tanh") / "gelu_new". */
  geluTanh(x: string): string {
    const cube = this.op('Mul', [x, this.op('Mul', [x, x])]);
    const inner = this.op('Mul', [this.op('Add', [x, this.op('Mul', [cube, this.constF(0.044715)])]), this.constF(Math.sqrt(2 / Math.PI))]);
    return this.op('Mul', [this.op('Mul', [x, this.constF(0.5)]), this.op('Add', [this.op('Tanh', [inner]), this.constF(1)])]);
  }

  /** SiLU (swish): x·σ(x). */
  silu(x: string): string {
    return this.op('Mul', [x, this.op('Sigmoid', [x])]);
  }

  /** The serialised ModelProto with these graph inputs and outputs. */
  toModel(inputs: OnnxValue[], outputs: OnnxValue[], graphName = 'classifier'): Uint8Array {
    const graph = new ProtoWriter();
    for (const n of this.nodes) graph.message(1, nodeProto(n.opType, n.inputs, n.outputs, n.attrs));
    graph.string(2, graphName);
    for (const t of this.initializers) graph.message(5, tensorProto(t.name, t.dims, t.data));
    for (const v of inputs) graph.message(11, valueInfo(v.name, v.elemType, v.dims));
    for (const v of outputs) graph.message(12, valueInfo(v.name, v.elemType, v.dims));
    return new ProtoWriter()
      .int(1, 8) // IR version 8 (ONNX 1.13+, opset 17)
      .string(2, 'classifier-workbench')
      .message(7, graph)
      .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET))
      .finish();
  }
}

/** A classifier's whole graph and its signature: what a family's ONNX builder returns, and what passes rewrite. */
export interface OnnxModelSpec {
  graph: OnnxGraph;
  inputs: OnnxValue[];
  outputs: OnnxValue[];
}

/** The classifier's token inputs `[batch_size, sequence_length]` int64 (with token_type_ids when the family has them). */
export function tokenInputs(withTokenTypes: boolean): OnnxValue[] {
  return ['input_ids', 'attention_mask', ...(withTokenTypes ? ['token_type_ids'] : [])]
    .map((name) => ({ name, elemType: OnnxType.int64, dims: ['batch_size', 'sequence_length'] }));
}

/** The classifier's output `logits [batch_size, numLabels]` float32. */
export function logitsOutput(numLabels: number): OnnxValue {
  return { name: 'logits', elemType: OnnxType.float, dims: ['batch_size', numLabels] };
}
