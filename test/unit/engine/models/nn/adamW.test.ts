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

test('update with a gradient scale equals an update from gradients scaled in place as float32, bit for bit', () => {
  const fused = new AdamW(trainable, { weightDecay: 0.1 });
  const separate = new AdamW(trainable, { weightDecay: 0.1 });
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
