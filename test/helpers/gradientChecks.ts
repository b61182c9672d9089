// Comparing two gradient computations of one model (layer-wise against whole-graph gradients, bertGradients.test.ts
// and modernbertLayerwise.test.ts): the losses within 1e-5, every parameter's gradient within 1e-5 + 1e-3 relative.
import assert from 'node:assert/strict';
import type { ParamSpec } from '../../src/engine/models/nn/paramStore';

/** One computation's loss and flat gradient buffer (store layout). */
export interface LossAndGrads {
  loss: number;
  grads: Float32Array;
}

/**
 * Asserts `b` equals `a` within float rounding on every parameter of `specs`, and that enough of `a`'s gradients are
 * non-zero for the comparison to mean something.
 */
export function assertSameGradients(specs: readonly ParamSpec[], a: LossAndGrads, b: LossAndGrads): void {
  assert.ok(Math.abs(a.loss - b.loss) < 1e-5, `loss ${a.loss} vs ${b.loss}`);
  let nonZero = 0;
  for (const s of specs) {
    for (let i = s.offset; i < s.offset + s.size; i++) {
      assert.ok(Math.abs(a.grads[i] - b.grads[i]) <= 1e-5 + 1e-3 * Math.abs(a.grads[i]), `${s.name}[${i - s.offset}]: ${a.grads[i]} vs ${b.grads[i]}`);
      if (a.grads[i] !== 0) nonZero++;
    }
  }
  assert.ok(nonZero > 100, 'the gradients compared are not all zero');
}
