// The dropout masks' fast fill draws exactly what the generator's next() draws, so masks stay reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/engine/seededRandom';

for (const [seed, p, n] of [[7, 0.9, 10_000], [0xdeadbeef, 0.5, 1_001]] as const) {
  test(`fillBernoulli(seed ${seed}, p ${p}) equals next() < p draw by draw and leaves the same state`, () => {
    const slow = new SeededRandom(seed);
    const fast = new SeededRandom(seed);
    const value = 1 / p;
    const expected = Float32Array.from({ length: n }, () => (slow.next() < p ? value : 0));
    const out = new Float32Array(n);
    fast.fillBernoulli(out, p, value);
    assert.deepEqual(out, expected);
    assert.equal(fast.state, slow.state);
    const kept = out.filter((v) => v !== 0).length / n;
    assert.ok(Math.abs(kept - p) < 0.05, `kept fraction ${kept} vs ${p}`);
  });
}
