// The run queue cannot be left holding an active run without a worker (issue 17, kind 3): a run whose worker
// fails to start is recorded as interrupted, the next run trains, and stop() returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainEvent } from '../../../../src/protocol/train';
import { EngineErrorCodes } from '../../../../src/protocol/errors';
import { RunScheduler } from '../../../../src/engine/rpc/runScheduler';
import type { RunningWorker, WorkerOutcome } from '../../../../src/engine/rpc/workerRunner';

function harness(startWorker: (job: { runId: string }) => RunningWorker) {
  const dir = mkdtempSync(join(tmpdir(), 'cw-scheduler-'));
  const events: string[] = [];
  const marked: string[] = [];
  const scheduler = new RunScheduler({
    onEvent: (e: TrainEvent) => e.type === 'state' && events.push(`${e.runId}:${e.state}`),
    markInterrupted: async (runDir, message) => void marked.push(`${runDir}|${message}`),
    markCancelled: async () => undefined,
    log: () => undefined,
    startWorker: startWorker as never,
  });
  const enqueue = (runId: string) => scheduler.enqueue(runId, join(dir, runId), { kind: 'train', runId, runDir: join(dir, runId) });
  return { scheduler, events, marked, enqueue, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A worker that finishes `done` when told to. */
function controllableWorker(): RunningWorker & { finish: (o: WorkerOutcome) => void } {
  let finish!: (o: WorkerOutcome) => void;
  const outcome = new Promise<WorkerOutcome>((resolve) => (finish = resolve));
  return { outcome, finish, cancel: () => undefined, terminate: async () => finish({ kind: 'died', message: 'terminated' }) };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition reached');
};

for (const [name, failure] of [
  ['a config too deep to copy to the worker (the reproducer)', () => { let o: object = {}; for (let i = 0; i < 10_000; i++) o = { a: o }; structuredClone(o); }],
  ['any other error starting the worker (variant)', () => { throw new Error('EMFILE: too many open files'); }],
] as const) {
  test(`a run whose worker cannot start: ${name} → interrupted, and the queue goes on`, async () => {
    const workers: Array<ReturnType<typeof controllableWorker>> = [];
    const h = harness(({ runId }) => {
      if (runId === 'bad') failure();
      const w = controllableWorker();
      workers.push(w);
      return w;
    });
    try {
      h.enqueue('bad');
      h.enqueue('good');
      await until(() => workers.length === 1 && h.events.includes('bad:interrupted'));
      assert.deepEqual(h.scheduler.list().map((r) => [r.runId, r.state]), [['good', 'running']]);
      assert.match(h.marked[0]!, /bad\|The run could not start: .*Resume it to try again\./);
      workers[0]!.finish({ kind: 'done', result: undefined });
      await until(() => h.events.includes('good:completed'));
      // stop() returns (it hung when a run was active without a worker).
      h.enqueue('bad');
      await h.scheduler.stop();
      assert.deepEqual(h.scheduler.list(), []);
    } finally {
      h.cleanup();
    }
  });
}

test('an error while settling a finished run still frees the queue', async () => {
  const workers: Array<ReturnType<typeof controllableWorker>> = [];
  const h = harness(() => {
    const w = controllableWorker();
    workers.push(w);
    return w;
  });
  try {
    h.enqueue('a');
    h.enqueue('b');
    // markInterrupted rejecting is logged; the next run still starts.
    workers[0]!.finish({ kind: 'died', message: 'out of memory' });
    await until(() => workers.length === 2);
    assert.equal(h.scheduler.list()[0]?.runId, 'b');
    workers[1]!.finish({ kind: 'done', result: undefined });
    await until(() => h.scheduler.list().length === 0);
  } finally {
    h.cleanup();
  }
});

test("a run whose worker ends with an error carries the error's VS Code wording (no CLI flag) beside the CLI one", async () => {
  const workers: Array<ReturnType<typeof controllableWorker>> = [];
  const dir = mkdtempSync(join(tmpdir(), 'cw-scheduler-'));
  const states: TrainEvent[] = [];
  const scheduler = new RunScheduler({
    onEvent: (e: TrainEvent) => void (e.type === 'state' && states.push(e)),
    markInterrupted: async () => undefined, markCancelled: async () => undefined, log: () => undefined,
    startWorker: (() => { const w = controllableWorker(); workers.push(w); return w; }) as never,
  });
  try {
    scheduler.enqueue('a', join(dir, 'a'), { kind: 'train', runId: 'a', runDir: join(dir, 'a') });
    await until(() => workers.length === 1);
    workers[0]!.finish({ kind: 'error', error: { code: EngineErrorCodes.invalidOption, message: '/m/config.json: too big; use --max-length 64 or less', data: { file: '/m/config.json', detail: 'too big; use --max-length 64 or less', editorDetail: 'too big; set "Max length" to 64 or less' } } });
    await until(() => states.some((e) => e.type === 'state' && e.state === 'failed'));
    const failed = states.find((e) => e.type === 'state' && e.state === 'failed') as TrainEvent & { type: 'state' };
    assert.equal(failed.message, '/m/config.json: too big; use --max-length 64 or less');
    assert.equal(failed.editorMessage, '/m/config.json: too big; set "Max length" to 64 or less');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
