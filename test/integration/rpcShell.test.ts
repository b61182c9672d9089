// The RPC shell against a stand-in library (timed busy-loop "training"): queueing, ordered notifications,
// cancellation of a loop that never yields, SIGKILL recovery through the client, the restart budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient, EngineUnavailableError } from '../../src/extension/engine/engineClient';
import { PROTOCOL_VERSION } from '../../src/protocol/engine';
import type { RunProgress, RunStateChange } from '../../src/protocol/train';

const standIn = join(__dirname, 'fixtures', 'standInEngine.ts');

function workspace(): { dir: string; dataset: string; runsDir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-rpc-shell-'));
  const dataset = join(dir, 'train.jsonl');
  writeFileSync(dataset, '{"text":"a","label":"x"}\n');
  return { dir, dataset, runsDir: join(dir, 'runs'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function newClient(log: string[] = []): EngineClient {
  return new EngineClient({
    process: { modulePath: standIn, execArgv: ['--import', 'tsx'] },
    output: { appendLine: (line) => log.push(line) },
    clientName: 'test',
    restart: { baseDelayMs: 10 },
  });
}

function waitForState(client: EngineClient, runId: string, state: string): Promise<RunStateChange> {
  return new Promise((resolve) => {
    const sub = client.onRunState((s) => {
      if (s.runId === runId && s.state === state) {
        sub.dispose();
        resolve(s);
      }
    });
  });
}

const readState = (runDir: string) => (JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { state: string }).state;

test('runs queue one at a time and stream ordered progress through to completed', async () => {
  const ws = workspace();
  const client = newClient();
  try {
    const events: string[] = [];
    const steps = new Map<string, number[]>();
    client.onProgress((p: RunProgress) => steps.set(p.runId, [...(steps.get(p.runId) ?? []), p.step]));
    client.onEpoch((e) => events.push(`${e.runId}:epoch${e.epoch}`));
    client.onRunState((s) => events.push(`${s.runId}:${s.state}`));
    const a = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 2, batchSize: 4, model: '5' });
    const b = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 3, model: '5' });
    assert.equal(b.state, 'queued');
    const listed = await client.listRuns(ws.runsDir);
    assert.deepEqual(listed.map((r) => [r.runId, r.state]).sort(), [[a.runId, 'running'], [b.runId, 'queued']].sort());
    await waitForState(client, b.runId, 'completed');
    assert.deepEqual(steps.get(a.runId), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(steps.get(b.runId), [1, 2, 3]);
    // b starts only after a completed.
    const order = events.filter((e) => !e.endsWith('queued'));
    assert.deepEqual(order, [
      `${a.runId}:running`, `${a.runId}:epoch1`, `${a.runId}:epoch2`, `${a.runId}:completed`,
      `${b.runId}:running`, `${b.runId}:epoch1`, `${b.runId}:completed`,
    ]);
    assert.equal(readState(a.runDir), 'completed');
    assert.ok(existsSync(join(a.runDir, 'metrics.json')));
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('cancel stops a busy, never-yielding training loop within one step; resume completes it; predict answers meanwhile', async () => {
  const ws = workspace();
  const client = newClient();
  try {
    await client.setActiveModel(join(ws.dir, 'model'));
    let lastStep = 0;
    client.onProgress((p) => (lastStep = p.step));
    const run = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 200, model: '250' });
    await new Promise<void>((resolve) => {
      const sub = client.onProgress((p) => p.step >= 2 && (sub.dispose(), resolve()));
    });
    // The RPC thread stays free while the worker spins.
    const predicted = await client.predict({ texts: ['good stuff'], topK: 1 });
    assert.equal(predicted.predictions[0]!.label, 'pos');
    const stepAtCancel = lastStep;
    const stopped = await client.cancelRun(run.runId);
    assert.equal(stopped.state, 'cancelled');
    // 250 ms steps: the step running when the flag was raised finishes, plus at most one already on the wire.
    assert.ok(lastStep - stepAtCancel <= 2, `stopped ${lastStep - stepAtCancel} steps after cancel`);
    assert.equal(readState(run.runDir), 'cancelled');
    assert.ok(existsSync(join(run.runDir, 'checkpoints', 'last', 'state.json')));
    const resumed = await client.resumeRun(run.runDir);
    assert.equal(resumed.runId, run.runId);
    // Resume continues from the checkpoint, not from step 1.
    const firstResumedStep = await new Promise<number>((resolve) => {
      const sub = client.onProgress((p) => (sub.dispose(), resolve(p.step)));
    });
    assert.ok(firstResumedStep > 1);
    await client.cancelRun(run.runId);
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('SIGKILL mid-run: the client reports it, the run is interrupted on disk after restart, resume finishes it', async () => {
  const ws = workspace();
  const log: string[] = [];
  const client = newClient(log);
  try {
    const crashes: string[] = [];
    client.onCrash((c) => crashes.push(c.message));
    const run = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 40, model: '10' });
    await new Promise<void>((resolve) => {
      const sub = client.onProgress((p) => p.step >= 2 && (sub.dispose(), resolve()));
    });
    const interrupted = waitForState(client, run.runId, 'interrupted');
    process.kill(client.pid!, 'SIGKILL');
    await interrupted;
    assert.equal(crashes.length, 1);
    assert.match(crashes[0]!, /SIGKILL/);
    assert.ok(log.some((l) => l.includes('SIGKILL')));
    assert.equal(client.isRunning, false);
    // Next use starts a new engine, which marks the run interrupted on disk.
    const info = await client.info();
    assert.deepEqual(info.markedInterrupted, [run.runId]);
    assert.equal(readState(run.runDir), 'interrupted');
    const done = waitForState(client, run.runId, 'completed');
    await client.resumeRun(run.runDir);
    await done;
    assert.equal(readState(run.runDir), 'completed');
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('an engine that keeps dying is restarted at most 3 times, then the client gives up until restart()', async () => {
  const client = newClient();
  try {
    const kill = async () => {
      const pid = client.pid!;
      const crashed = new Promise<void>((resolve) => {
        const sub = client.onCrash(() => (sub.dispose(), resolve()));
      });
      process.kill(pid, 'SIGKILL');
      await crashed;
    };
    await client.info();
    for (let i = 0; i < 3; i++) {
      await kill();
      await client.info();
    }
    await kill();
    await assert.rejects(client.info(), EngineUnavailableError);
    const info = await client.restart();
    assert.equal(info.protocolVersion, PROTOCOL_VERSION);
  } finally {
    await client.dispose();
  }
});

test('disposing the client shuts the engine down: the training run becomes interrupted, a queued one cancelled', async () => {
  const ws = workspace();
  const client = newClient();
  try {
    const states: string[] = [];
    client.onRunState((s) => states.push(`${s.runId}:${s.state}`));
    const run = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 500, model: '10' });
    const queued = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 5, model: '10' });
    await new Promise<void>((resolve) => {
      const sub = client.onProgress((p) => p.step >= 2 && (sub.dispose(), resolve()));
    });
    const pid = client.pid!;
    await client.dispose();
    assert.equal(readState(run.runDir), 'interrupted');
    assert.ok(!existsSync(join(queued.runDir, 'run.json')), 'the queued run never started');
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    assert.ok(states.includes(`${run.runId}:interrupted`), states.join());
    assert.ok(states.includes(`${queued.runId}:cancelled`), states.join());
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('SIGTERM to the engine: it marks the training run interrupted itself before exiting', async () => {
  const ws = workspace();
  const client = newClient();
  try {
    const run = await client.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 500, model: '10' });
    await new Promise<void>((resolve) => {
      const sub = client.onProgress((p) => p.step >= 2 && (sub.dispose(), resolve()));
    });
    const crashed = new Promise<string>((resolve) => {
      const sub = client.onCrash((c) => (sub.dispose(), resolve(c.message)));
    });
    process.kill(client.pid!, 'SIGTERM');
    assert.match(await crashed, /exited with code 0/);
    assert.equal(readState(run.runDir), 'interrupted');
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('a run orphaned by an engine of an earlier session is listed, and recorded, as interrupted', async () => {
  const ws = workspace();
  const first = newClient();
  const second = newClient();
  try {
    const run = await first.startRun({ dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 500, model: '10' });
    await new Promise<void>((resolve) => {
      const sub = first.onProgress((p) => p.step >= 2 && (sub.dispose(), resolve()));
    });
    const crashed = new Promise<void>((resolve) => first.onCrash(() => resolve()));
    process.kill(first.pid!, 'SIGKILL');
    await crashed;
    await first.dispose();
    assert.equal(readState(run.runDir), 'running');
    // A new session's client knows nothing of the crash; the run folder says who trained it.
    const listed = await second.listRuns(ws.runsDir);
    assert.deepEqual(listed.map((r) => [r.runId, r.state]), [[run.runId, 'interrupted']]);
    assert.equal(readState(run.runDir), 'interrupted');
  } finally {
    await first.dispose();
    await second.dispose();
    ws.cleanup();
  }
});

test('model/export carries the onnx parameter to the library as given; an onnx that is not an object is refused as invalid params', async () => {
  const ws = workspace();
  const client = newClient();
  try {
    const runDir = join(ws.runsDir, 'r');
    assert.deepEqual((await client.exportModel({ runDir, outDir: join(ws.dir, 'out') })).files, []);
    assert.deepEqual((await client.exportModel({ runDir, onnx: {} })).files, ['onnx/model.onnx']);
    assert.deepEqual((await client.exportModel({ runDir, onnx: { quantize: 'int8' } })).files, ['onnx/model.onnx', 'onnx/model_quantized.onnx']);
    await assert.rejects(client.exportModel({ runDir, onnx: true as unknown as {} }), (e: unknown) => (e as { code?: number }).code === -32602 && /onnx/.test((e as Error).message));
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});
