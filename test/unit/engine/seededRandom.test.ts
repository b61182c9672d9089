// The dropout masks' fast fill: reproducible for a seed, Bernoulli at the rate it reports, the two masks values drawn
// from one generator output independent of each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/engine/seededRandom';

for (const [seed, p, n] of [[7, 0.9, 200_000], [0xdeadbeef, 0.5, 200_001], [42, 0.1, 200_000]] as const) {
  test(`fillBernoulli(seed ${seed}, p ${p}, ${n} values): rate within 4σ of p, adjacent pairs independent`, () => {
    const value = 1 / p;
    const out = new Float32Array(n);
    new SeededRandom(seed).fillBernoulli(out, p, value);
    assert.ok(out.every((v) => v === 0 || v === Math.fround(value)), 'only 0 and value');
    const q = SeededRandom.bernoulliProbability(p);
    const sigma = Math.sqrt((q * (1 - q)) / n);
    const kept = out.filter((v) => v !== 0).length / n;
    assert.ok(Math.abs(kept - q) < 4 * sigma, `kept fraction ${kept} vs ${q} (σ ${sigma.toExponential(2)})`);
    // Elements 2k and 2k+1 come from the low and high halves of one draw: both kept as often as q², no more.
    const pairs = Math.floor(n / 2);
    let both = 0;
    for (let k = 0; k < pairs; k++) if (out[2 * k] !== 0 && out[2 * k + 1] !== 0) both++;
    const sigmaBoth = Math.sqrt((q * q * (1 - q * q)) / pairs);
    assert.ok(Math.abs(both / pairs - q * q) < 4 * sigmaBoth, `both kept ${both / pairs} vs q² ${q * q}`);
  });
}

test('fillBernoulli is reproducible for a seed, its state moves on, and an odd length fills every element', () => {
  const a = new Float32Array(1001);
  const b = new Float32Array(1001);
  const r = new SeededRandom(123);
  r.fillBernoulli(a, 0.5, 2);
  new SeededRandom(123).fillBernoulli(b, 0.5, 2);
  assert.deepEqual(a, b, 'same seed, same mask');
  assert.equal(r.state, new SeededRandom(123 + 501 * 0x6d2b79f5).state, '⌈1001 / 2⌉ draws');
  const c = new Float32Array(1001).fill(-1);
  r.fillBernoulli(c, 0.5, 2);
  assert.notDeepEqual(c, a, 'the next fill draws new values');
  assert.ok(c.every((v) => v === 0 || v === 2), 'the last (odd) element was written too');
});

test('bernoulliProbability rounds to a multiple of 2⁻¹⁶ within 7.7e-6, clamped to [0, 1]', () => {
  for (const p of [0.9, 0.1, 0.5, 1 / 3, 0.999]) {
    const q = SeededRandom.bernoulliProbability(p);
    assert.ok(Math.abs(q - p) <= 2 ** -17, `${p} → ${q}`);
    assert.equal(q * 65536, Math.round(q * 65536));
  }
  assert.equal(SeededRandom.bernoulliProbability(1.5), 1);
  assert.equal(SeededRandom.bernoulliProbability(-0.1), 0);
  const all = new Float32Array(11);
  new SeededRandom(9).fillBernoulli(all, 1, 3);
  assert.ok(all.every((v) => v === 3), 'p = 1 keeps every element');
  new SeededRandom(9).fillBernoulli(all, 0, 3);
  assert.ok(all.every((v) => v === 0), 'p = 0 keeps none');
});
