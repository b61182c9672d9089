// Scalar math for the fused JS kernels (backend/heapKernels.ts) where V8's Math functions dominate a loop.

/** 2^k for k in [−150, 150) (expNonPositive's scale). */
const powersOfTwo = Float64Array.from({ length: 300 }, (_, k) => Math.pow(2, k - 150));
const ln2Hi = 0.6931471803691238;
const ln2Lo = 1.9082149292705877e-10;

/**
 * e^y for y ≤ 0, relative error below 1e-8: y = k·ln2 + r with |r| ≤ ln2/2, e^r by its degree-7 Taylor polynomial.
 * About a third cheaper than V8's Math.exp, which dominates the GELU and softmax loops of the fused kernels.
 */
export function expNonPositive(y: number): number {
  if (y < -103) return 0; // below float32's smallest subnormal
  const k = Math.floor(y * Math.LOG2E + 0.5);
  const r = y - k * ln2Hi - k * ln2Lo;
  return (1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))))) * powersOfTwo[k + 150]!;
}
