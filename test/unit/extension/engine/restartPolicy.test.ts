// The client's restart budget: back-off, at most 3 restarts in 3 minutes, manual reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy } from '../../../../src/extension/engine/restartPolicy';

test('allows 3 restarts in 3 minutes with doubling back-off, then refuses', () => {
  const policy = new RestartPolicy({ baseDelayMs: 500 });
  assert.deepEqual(policy.nextRestart(0), { allowed: true, delayMs: 500 });
  assert.deepEqual(policy.nextRestart(1_000), { allowed: true, delayMs: 1000 });
  assert.equal(policy.canRestart(2_000), true);
  assert.deepEqual(policy.nextRestart(2_000), { allowed: true, delayMs: 2000 });
  assert.equal(policy.canRestart(3_000), false);
  assert.equal(policy.nextRestart(3_000).allowed, false);
  assert.equal(policy.nextRestart(179_000).allowed, false);
});

test('restarts older than the window no longer count, and reset clears the history', () => {
  const policy = new RestartPolicy();
  for (const t of [0, 10, 20]) assert.equal(policy.nextRestart(t).allowed, true);
  // At 180 s the first restart (t = 0) has left the 3-minute window.
  assert.deepEqual(policy.nextRestart(180_000), { allowed: true, delayMs: 2000 });
  assert.equal(policy.nextRestart(180_001).allowed, false);
  policy.reset();
  assert.deepEqual(policy.nextRestart(180_002), { allowed: true, delayMs: 500 });
});
