// A minimal protobuf writer for the ONNX messages exportOnnx needs (ModelProto, GraphProto, NodeProto,
// TensorProto of float32/int64/int32/int8/uint8, ValueInfoProto, AttributeProto), following onnx/onnx.proto3 field numbers. Write-only.

/** A protobuf message under construction: fields appended in order. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    this.push(Uint8Array.from(out));
  }

  private key(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** TensorProto.DataType numbers (onnx.proto3) of the element types our graphs use. */
export const OnnxType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;

/** The element buffers a TensorProto of ours may hold; the typed array decides the ONNX element type. */
export type OnnxTensorData = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/** The ONNX element type of a typed array. */
export function onnxTypeOf(data: OnnxTensorData): number {
  if (data instanceof Float32Array) return OnnxType.float;
  if (data instanceof BigInt64Array) return OnnxType.int64;
  if (data instanceof Int32Array) return OnnxType.int32;
  if (data instanceof Int8Array) return OnnxType.int8;
  return OnnxType.uint8;
}

/** TensorProto with raw little-endian data. */
export function tensorProto(name: string, dims: number[], data: OnnxTensorData): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  t.int(2, onnxTypeOf(data));
  t.string(8, name);
  t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return t;
}

/** ValueInfoProto of a tensor; string dims are symbolic (`batch`, `sequence`). */
export function valueInfo(name: string, elemType: number, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensor = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
}

export type AttrValue = { f: number } | { i: number } | { ints: number[] };

/** NodeProto: one operator. */
export function nodeProto(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, `${op}_${outputs[0]}`);
  n.string(4, op);
  for (const [name, v] of Object.entries(attrs)) {
    const a = new ProtoWriter().string(1, name);
    if ('f' in v) a.float(2, v.f).int(20, 1);
    else if ('i' in v) a.int(3, v.i).int(20, 2);
    else {
      for (const x of v.ints) a.int(8, x);
      a.int(20, 7);
    }
    n.message(5, a);
  }
  return n;
}
