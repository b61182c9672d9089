// Token rows without padding. A shard is padded to its longest text (dynamic padding); the per-token work of an
// encoder layer (dense products, LayerNorm, GELU, dropout) gains nothing from the padding rows, whose outputs are
// never read. With a packing, those steps run on the real tokens only `[tokens, hidden]`, and only the attention,
// which needs the `[batch, seqLen]` layout, scatters its inputs to padded rows (zeros at padding: masked keys, and
// query rows that are gathered away) and gathers its output back. Gather and scatter are JS kernels over the wasm
// heap (backend/heapKernels.ts) with each other as gradients; other backends do not pack.
import * as tf from '@tensorflow/tfjs-core';
import { heapKernelsActive, registerHeapKernel } from '../../backend/heapKernels';

/** Which padded rows `[batch·seqLen]` hold tokens, in order; and where each sequence's first token landed. */
export interface RowPacking {
  /** Padded row of each packed row, `[tokens]`. */
  rows: Int32Array;
  /** Padded rows in all (batch · seqLen). */
  paddedRows: number;
  /** Packed row of each sequence's first token ([CLS]), `[batch]`. */
  firstRows: Int32Array;
}

/**
 * The packing of a right-padded batch from its 0/1 attention mask `[batch·seqLen]`, or undefined where packing
 * does not pay or cannot run (no padding; not the wasm backend).
 */
export function packRows(mask: Int32Array, batch: number, seqLen: number): RowPacking | undefined {
  if (!heapKernelsActive()) return undefined;
  const rows: number[] = [];
  const firstRows = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    firstRows[b] = rows.length;
    for (let t = 0; t < seqLen; t++) if (mask[b * seqLen + t]) rows.push(b * seqLen + t);
  }
  if (rows.length === batch * seqLen) return undefined;
  return { rows: Int32Array.from(rows), paddedRows: batch * seqLen, firstRows };
}

interface RowsAttrs {
  rows: Int32Array;
  /** Rows of the output (scatter). */
  outRows: number;
}

/** out[i] = x[rows[i]] for rows of width `shape[1]`. */
const gatherKernel = registerHeapKernel<RowsAttrs>({
  name: 'ClassifierWorkbenchGatherRows',
  inputNames: ['x'],
  outputShapes: ([x], a) => [[a.rows.length, x[1]]],
  body: ([x], [out], a, [shape]) => {
    const h = shape[1];
    for (let i = 0; i < a.rows.length; i++) out.set(x.subarray(a.rows[i] * h, (a.rows[i] + 1) * h), i * h);
  },
});

/** out[rows[i]] = x[i], zeros elsewhere; `outRows` rows. */
const scatterKernel = registerHeapKernel<RowsAttrs>({
  name: 'ClassifierWorkbenchScatterRows',
  inputNames: ['x'],
  outputShapes: ([x], a) => [[a.outRows, x[1]]],
  body: ([x], [out], a, [shape]) => {
    const h = shape[1];
    out.fill(0);
    for (let i = 0; i < a.rows.length; i++) out.set(x.subarray(i * h, (i + 1) * h), a.rows[i] * h);
  },
});

type GradFn = Parameters<typeof tf.customGrad>[0];

function gather(x: tf.Tensor, rows: Int32Array, inRows: number): tf.Tensor2D {
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return {
      value: gatherKernel([xi], { rows, outRows: rows.length })[0],
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [scatterKernel([dy as tf.Tensor], { rows, outRows: inRows })[0]],
    };
  }) as unknown as GradFn) as unknown as (x: tf.Tensor) => tf.Tensor2D;
  return f(x);
}

/** The token rows `[tokens, width]` of padded `x [batch·seqLen, width]`. */
export function packTokens(x: tf.Tensor, p: RowPacking): tf.Tensor2D {
  return gather(x, p.rows, p.paddedRows);
}

/** Each sequence's first-token row `[batch, width]` of packed `x [tokens, width]`. */
export function packedFirstRows(x: tf.Tensor, p: RowPacking): tf.Tensor2D {
  return gather(x, p.firstRows, p.rows.length);
}

/** Packed `x [tokens, width]` back in the padded layout `[batch·seqLen, width]`, zeros at padding. */
export function unpackTokens(x: tf.Tensor, p: RowPacking): tf.Tensor2D {
  const { rows, paddedRows } = p;
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return {
      value: scatterKernel([xi], { rows, outRows: paddedRows })[0],
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [gatherKernel([dy as tf.Tensor], { rows, outRows: rows.length })[0]],
    };
  }) as unknown as GradFn) as unknown as (x: tf.Tensor) => tf.Tensor2D;
  return f(x);
}
