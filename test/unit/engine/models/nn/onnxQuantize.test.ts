// The int8 pass writes ONNX Runtime's quantize_dynamic pattern (symmetric per-tensor int8 weights, DynamicQuantizeLinear
// → MatMulInteger → Cast → Mul by the product of scales; Gather of int8 rows → DequantizeLinear), and ONNX Runtime
// computes with it exactly what that pattern means (an independent emulation of the ONNX operator definitions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxGraph } from '../../../../../src/engine/models/nn/onnxGraph';
import { quantizeDynamicInt8, quantizeSymmetricInt8, roundHalfEven } from '../../../../../src/engine/models/nn/onnxQuantize';
import { OnnxType } from '../../../../../src/engine/tensorFiles/onnxProto';
import { needs, nodePackage } from '../../../../helpers/requirements';
import { onnxRuntime } from '../../../../helpers/onnxRuntime';

test('weights: symmetric per-tensor int8, scale max|w|/127, zero point 0, round half to even, clipped to ±127', () => {
  const { q, scale } = quantizeSymmetricInt8(Float32Array.of(-2.54, 0, 1.27, 0.01, 0.03, 2.54));
  assert.equal(scale, Math.fround(2.54 / 127));
  assert.deepEqual(Array.from(q), [-127, 0, 64, 0, 2, 127]);
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven), [0, 2, 2, -0, -2, -2, 2, -3]);
  const zeros = quantizeSymmetricInt8(new Float32Array(4));
  assert.equal(zeros.scale, 1, 'an all-zero weight keeps scale 1 (as ORT), never a division by zero');
  assert.deepEqual(Array.from(zeros.q), [0, 0, 0, 0]);
});

/** x [2,3] · W [3,4] + b, then (·) · (·)ᵀ (two activations: stays float), plus a Gather from a [5,4] table. */
function smallGraph(): { graph: OnnxGraph; w: Float32Array; b: Float32Array; table: Float32Array } {
  const g = new OnnxGraph();
  const w = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) * 0.7);
  const b = Float32Array.of(0.1, -0.2, 0.3, 0.05);
  const table = Float32Array.from({ length: 20 }, (_, i) => Math.cos(i * 1.3) * 0.4);
  const y = g.linear('x', g.initializer('W', [3, 4], w), g.initializer('b', [4], b));
  g.op('Identity', [y], {}, 'y');
  g.op('MatMul', [y, g.op('Transpose', [y], { perm: { ints: [1, 0] } })], {}, 'gram');
  g.op('Gather', [g.initializer('table', [5, 4], table), 'ids'], { axis: { i: 0 } }, 'rows');
  return { graph: g, w, b, table };
}

test('the pass rewrites MatMul by a 2-D float weight and Gather from a table, leaves the rest and the source graph as they were', () => {
  const { graph } = smallGraph();
  const before = graph.nodes.map((n) => n.opType);
  const { graph: q, summary } = quantizeDynamicInt8(graph);
  assert.deepEqual(graph.nodes.map((n) => n.opType), before, 'the float32 graph is untouched');
  assert.deepEqual(summary, { matMuls: 1, gathers: 1 });
  assert.deepEqual(q.nodes.map((n) => n.opType), ['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul', 'Add', 'Identity', 'Transpose', 'MatMul', 'Gather', 'DequantizeLinear']);
  const names = new Map(q.initializers.map((t) => [t.name, t]));
  assert.ok(!names.has('W') && !names.has('table'), 'the float weights are gone');
  assert.ok(names.get('W_quantized')!.data instanceof Int8Array && names.get('table_quantized')!.data instanceof Int8Array);
  assert.deepEqual(names.get('W_zero_point')!.dims, []);
  assert.deepEqual(Array.from(names.get('W_zero_point')!.data as Int8Array), [0]);
  assert.ok(names.get('b')!.data instanceof Float32Array, 'biases stay float32');
  const matMulInteger = q.nodes.find((n) => n.opType === 'MatMulInteger')!;
  assert.deepEqual(matMulInteger.inputs, ['x_quantized', 'W_quantized', 'x_zero_point', 'W_zero_point']);
  assert.deepEqual(q.nodes.find((n) => n.opType === 'Cast')!.attrs, { to: { i: OnnxType.float } });
});

/** ONNX DynamicQuantizeLinear (opset 11): uint8, range widened to include 0, round half to even. */
function dynamicQuantizeLinear(x: Float32Array): { q: Uint8Array; scale: number; zeroPoint: number } {
  const lo = Math.min(0, ...x);
  const hi = Math.max(0, ...x);
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.max(0, Math.min(255, roundHalfEven(-lo / scale)));
  return { q: Uint8Array.from(x, (v) => Math.max(0, Math.min(255, roundHalfEven(v / scale) + zeroPoint))), scale, zeroPoint };
}

test('ONNX Runtime computes the quantised graph as the ONNX operators define it (int8 weights, dynamic uint8 activations)', needs(nodePackage('onnxruntime-node')), async () => {
  const { graph, w, b, table } = smallGraph();
  const x = Float32Array.of(0.9, -1.7, 0.25, 2.2, 0.4, -0.33);
  const ids = [3, 0, 4];
  const dir = mkdtempSync(join(tmpdir(), 'onnx-quantize-'));
  const file = join(dir, 'q.onnx');
  const inputs = [{ name: 'x', elemType: OnnxType.float, dims: [2, 3] }, { name: 'ids', elemType: OnnxType.int64, dims: [3] }];
  const outputs = ([['y', [2, 4]], ['gram', [2, 2]], ['rows', [3, 4]]] as const).map(([name, dims]) => ({ name, elemType: OnnxType.float, dims: [...dims] }));
  writeFileSync(file, quantizeDynamicInt8(graph).graph.toModel(inputs, outputs));
  const ort = onnxRuntime();
  const session = await ort.InferenceSession.create(file);
  const result = await session.run({ x: new ort.Tensor('float32', x, [2, 3]), ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [3]) });

  const wq = quantizeSymmetricInt8(w);
  const xq = dynamicQuantizeLinear(x);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      let acc = 0;
      for (let k = 0; k < 3; k++) acc += (xq.q[r * 3 + k]! - xq.zeroPoint) * wq.q[k * 4 + c]!;
      const expected = acc * Math.fround(xq.scale * wq.scale) + b[c]!;
      const got = result.y!.data[r * 4 + c]!;
      assert.ok(Math.abs(got - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `y[${r},${c}]: ${got} vs ${expected}`);
      let exact = b[c]!;
      for (let k = 0; k < 3; k++) exact += x[r * 3 + k]! * w[k * 4 + c]!;
      assert.ok(Math.abs(got - exact) < 0.05, `y[${r},${c}] stays near the float32 product: ${got} vs ${exact}`);
    }
  }
  const tq = quantizeSymmetricInt8(table);
  ids.forEach((id, r) => {
    for (let c = 0; c < 4; c++) assert.equal(result.rows!.data[r * 4 + c], Math.fround(tq.q[id * 4 + c]! * tq.scale), `rows[${r},${c}]`);
  });
  assert.equal(result.gram!.data.length, 4);
});
