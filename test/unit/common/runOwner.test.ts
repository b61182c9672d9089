// The one liveness rule of a run's owner, used by the engine (listings, resume) and the extension (tree, webviews).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { currentOwner, isOwnerAlive, isProcessAlive, readRunOwner, runStateOnDisk } from '../../../src/common/runFolder/runOwner';

/** The id of a process that has exited (a child run to its end). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a process is alive while it exists; an exited one is not', () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(deadPid()), false);
});

test('owner rule: another host is assumed alive, this process is not an owner of runs it asks about, a dead pid is dead', () => {
  const pid = deadPid();
  assert.equal(isOwnerAlive({ pid, host: `${hostname()}-elsewhere` }), true);
  assert.equal(isOwnerAlive(currentOwner()), false);
  assert.equal(isOwnerAlive({ pid, host: hostname() }), false);
  assert.deepEqual(readRunOwner({ pid: 12, host: 'h' }), { pid: 12, host: 'h' });
  for (const bad of [null, { pid: 0, host: 'h' }, { pid: 1.5, host: 'h' }, { pid: 3 }]) assert.equal(readRunOwner(bad), undefined);
});

test('run.json saying running with a dead owner reads as interrupted, naming the pid; other states as written', () => {
  const pid = deadPid();
  assert.deepEqual(runStateOnDisk({ state: 'running', owner: { pid, host: hostname() } }), { state: 'interrupted', deadOwnerPid: pid });
  assert.deepEqual(runStateOnDisk({ state: 'running' }), { state: 'running' });
  assert.deepEqual(runStateOnDisk({ state: 'completed', owner: { pid, host: hostname() } }), { state: 'completed' });
  assert.equal(runStateOnDisk({ state: 'nonsense' }), undefined);
});
