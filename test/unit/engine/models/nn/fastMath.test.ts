// expNonPositive (the fused kernels' exp) agrees with Math.exp to 1e-8 relative over its whole range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expNonPositive } from '../../../../../src/engine/models/nn/fastMath';

test('expNonPositive: e^y for y ≤ 0 within 1e-8 of Math.exp, 0 below float32 range', () => {
  let worst = 0;
  for (let y = 0; y >= -103; y -= 0.00137) worst = Math.max(worst, Math.abs(expNonPositive(y) - Math.exp(y)) / Math.exp(y));
  assert.ok(worst < 1e-8, `worst relative error ${worst}`);
  assert.equal(expNonPositive(0), 1);
  assert.equal(expNonPositive(-1e9), 0);
});
