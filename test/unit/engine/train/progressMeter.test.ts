import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressMeter } from '../../../../src/engine/train/progressMeter';

test('progress: 1-based epoch, global step, samples/s and an ETA that counts the evaluations still ahead', () => {
  const meter = new ProgressMeter('r', 2, 4, 0);
  let last;
  for (let s = 0; s < 4; s++) last = meter.step(0, s, 1.5, 0.1, 8, 100);
  assert.equal(last!.epoch, 1);
  assert.equal(last!.step, 4);
  assert.equal(last!.totalSteps, 8);
  assert.equal(last!.samplesPerSecond, 80); // 8 samples per 100 ms
  assert.ok(Math.abs(last!.etaSeconds - 0.4) < 1e-9, `${last!.etaSeconds}`); // 4 steps × 100 ms, no evaluation measured yet
  meter.evaluated(500);
  const next = meter.step(1, 0, 1.2, 0.05, 8, 100)!;
  assert.equal(next.epoch, 2);
  assert.ok(Math.abs(next.etaSeconds - (3 * 0.1 + 0.5)) < 1e-9, `${next.etaSeconds}`); // 3 steps + the last evaluation
});

test('progress events are throttled, but the last step of an epoch is always reported', () => {
  const meter = new ProgressMeter('r', 1, 5, 60_000);
  const emitted = [0, 1, 2, 3, 4].map((s) => meter.step(0, s, 1, 0.1, 1, 1) !== undefined);
  assert.deepEqual(emitted, [true, false, false, false, true]);
});
