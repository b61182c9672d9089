// AdamW keeps moments for the trainable tensors only (packed) and updates exactly as torch.optim.AdamW does
// (decoupled decay on matrices, bias correction), leaving frozen tensors untouched; row-sparse tables too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, clipScale } from '../../../../../src/engine/models/nn/adamW';
import { layoutParams } from '../../../../../src/engine/models/nn/paramStore';

const specs = layoutParams([{ name: 'frozen.weight', shape: [3, 4] }, { name: 'a.weight', shape: [2, 3] }, { name: 'frozen.bias', shape: [5] }, { name: 'a.bias', shape: [3] }]);
const trainable = specs.filter((s) => s.name.startsWith('a.'));
const size = specs.reduce((n, s) => n + s.size, 0);

/** torch.optim.AdamW's update for one value (weight decay wd·lr applied to the parameter first). */
function reference(p: number, g: number, m: number, v: number, step: number, lr: number, wd: number): [number, number, number] {
  const m2 = 0.9 * m + 0.1 * g;
  const v2 = 0.999 * v + 0.001 * g * g;
  const mHat = m2 / (1 - 0.9 ** step);
  const vHat = v2 / (1 - 0.999 ** step);
  return [p * (1 - lr * wd) - (lr * mHat) / (Math.sqrt(vHat) + 1e-8), m2, v2];
}

test('moments hold the trainable tensors only; two updates match the torch formula; frozen values stay', () => {
  const adam = new AdamW(trainable, { weightDecay: 0.1 });
  assert.equal(adam.m.length, 9);
  assert.deepEqual(adam.momentOffsets, [0, 6]);
  const params = Float32Array.from({ length: size }, (_, i) => Math.sin(i));
  const expected = Float64Array.from(params);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  for (let step = 1; step <= 2; step++) {
    const grads = Float32Array.from({ length: size }, (_, i) => Math.cos(3 * i + step));
    adam.update(params, grads, 0.01);
    for (const s of trainable) {
      for (let i = s.offset; i < s.offset + s.size; i++) [expected[i], m[i], v[i]] = reference(expected[i], grads[i], m[i], v[i], step, 0.01, s.decay ? 0.1 : 0);
    }
  }
  for (const s of specs) {
    for (let i = s.offset; i < s.offset + s.size; i++) {
      if (trainable.includes(s)) assert.ok(Math.abs(params[i] - expected[i]) < 1e-6, `${s.name}[${i - s.offset}]: ${params[i]} vs ${expected[i]}`);
      else assert.equal(params[i], Math.fround(Math.sin(i)), `${s.name} is frozen`);
    }
  }
  // Second tensor's moments sit right after the first's.
  const b = trainable[1];
  assert.ok(Math.abs(adam.m[6] - m[b.offset]) < 1e-6 && Math.abs(adam.v[8] - v[b.offset + 2]) < 1e-9);
});

test('a row-sparse table updates touched rows fully and only decays the others', () => {
  const adam = new AdamW(trainable, { weightDecay: 0.5 });
  adam.setRowSparse('a.weight', 2, 3);
  adam.touchRows('a.weight', [1]);
  const params = new Float32Array(size).fill(1);
  const grads = new Float32Array(size).fill(0.5);
  adam.update(params, grads, 0.1);
  const w = trainable[0];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(params[w.offset + i] - 0.95) < 1e-6, 'untouched row: decay only');
  for (let i = 3; i < 6; i++) assert.ok(Math.abs(params[w.offset + i] - reference(1, 0.5, 0, 0, 1, 0.1, 0.5)[0]) < 1e-6, 'touched row: full update');
  assert.ok(adam.m[3] !== 0 && adam.m[0] === 0, 'moments of the touched row only');
});

test('gradientNorm is the L2 norm over the trainable tensors, frozen ones and never-touched sparse rows left out', () => {
  const adam = new AdamW(trainable, { weightDecay: 0 });
  adam.setRowSparse('a.weight', 2, 3);
  adam.touchRows('a.weight', [1]);
  const grads = Float32Array.from({ length: size }, (_, i) => (i % 3) - 0.5);
  const [w, b] = trainable;
  // Row 0 of the sparse table was never touched: training leaves its gradient at zero, as here.
  grads.fill(0, w.offset, w.offset + 3);
  let sq = 0;
  for (const i of [w.offset + 3, w.offset + 4, w.offset + 5, b.offset, b.offset + 1, b.offset + 2]) sq += grads[i] * grads[i];
  assert.ok(Math.abs(adam.gradientNorm(grads) - Math.sqrt(sq)) < 1e-12);
  // A longer dense tensor (partial sums and the tail of the unrolled loop).
  const long = layoutParams([{ name: 'x.weight', shape: [7, 11] }]);
  const g = Float32Array.from({ length: 77 }, (_, i) => Math.sin(i));
  const expected = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(new AdamW(long, { weightDecay: 0 }).gradientNorm(g) - expected) < 1e-12);
});

test('clipScale is 1 within the limit or with clipping off, maxNorm / (norm + 1e-6) above it (torch clip_grad_norm_)', () => {
  assert.equal(clipScale(0.5, 1), 1);
  assert.equal(clipScale(5, 0), 1);
  assert.equal(clipScale(4, 2), 2 / (4 + 1e-6));
});

test('update with a gradient scale equals an update from gradients scaled in place as float32, bit for bit (JavaScript loop)', () => {
  const fused = new AdamW(trainable, { weightDecay: 0.1, simd: false });
  const separate = new AdamW(trainable, { weightDecay: 0.1, simd: false });
  fused.setRowSparse('a.weight', 2, 3);
  separate.setRowSparse('a.weight', 2, 3);
  fused.touchRows('a.weight', [0]);
  separate.touchRows('a.weight', [0]);
  const a = Float32Array.from({ length: size }, (_, i) => Math.cos(i));
  const b = a.slice();
  for (let step = 1; step <= 3; step++) {
    const grads = Float32Array.from({ length: size }, (_, i) => 3 * Math.sin(i * step));
    const scale = clipScale(fused.gradientNorm(grads), 1);
    assert.ok(scale < 1, 'the test clips');
    fused.update(a, grads, 0.01, scale);
    const scaled = grads.map((g) => g * scale);
    separate.update(b, scaled, 0.01);
  }
  assert.deepEqual(a, b);
  assert.deepEqual(fused.m, separate.m);
  assert.deepEqual(fused.v, separate.v);
});

test('the SIMD kernel follows the torch formula as the JavaScript loop does: chunks, tails, sparse rows, clipping', () => {
  // A tensor longer than a staging chunk (65,536) with a tail of 3, a small one, a row-sparse table of 8-wide rows.
  const big = layoutParams([{ name: 'x.weight', shape: [7, 10_001] }, { name: 'x.bias', shape: [6] }, { name: 'emb.weight', shape: [5, 8] }]);
  const total = big.reduce((n, s) => n + s.size, 0);
  const simd = new AdamW(big, { weightDecay: 0.1 });
  const js = new AdamW(big, { weightDecay: 0.1, simd: false });
  assert.ok(simd.simd, 'WebAssembly SIMD runs here');
  assert.ok(!js.simd);
  for (const a of [simd, js]) {
    a.setRowSparse('emb.weight', 5, 8);
    a.touchRows('emb.weight', [1, 3]);
  }
  const p1 = Float32Array.from({ length: total }, (_, i) => Math.sin(0.37 * i));
  const p2 = p1.slice();
  const expected = Float64Array.from(p1);
  const m = new Float64Array(total);
  const v = new Float64Array(total);
  const emb = big[2];
  const live = (i: number): boolean => i < emb.offset || [1, 3].includes(Math.floor((i - emb.offset) / 8));
  for (let step = 1; step <= 3; step++) {
    const grads = Float32Array.from({ length: total }, (_, i) => (live(i) ? 0.02 * Math.cos(1.3 * i + step) : 0));
    const scale = clipScale(js.gradientNorm(grads), 1);
    assert.ok(scale < 1, 'the test clips');
    simd.update(p1, grads, 0.01, clipScale(simd.gradientNorm(grads), 1));
    js.update(p2, grads, 0.01, scale);
    for (const s of big) {
      const wd = s.decay ? 0.1 : 0;
      for (let i = s.offset; i < s.offset + s.size; i++) {
        if (live(i)) [expected[i], m[i], v[i]] = reference(expected[i], Math.fround(grads[i] * scale), m[i], v[i], step, 0.01, wd);
        else expected[i] *= 1 - 0.01 * wd;
      }
    }
  }
  let worst = 0;
  for (let i = 0; i < total; i++) worst = Math.max(worst, Math.abs(p1[i] - expected[i]), Math.abs(p2[i] - expected[i]));
  assert.ok(worst < 2e-6, `max |param − torch formula| ${worst}`);
  for (let i = 0; i < simd.m.length; i++) {
    assert.ok(Math.abs(simd.m[i] - js.m[i]) < 1e-8 && Math.abs(simd.v[i] - js.v[i]) < 1e-10, `moments ${i}`);
  }
  assert.equal(simd.m[emb.offset], 0, 'an untouched row keeps zero moments');
});
