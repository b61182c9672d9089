// The real engine process (dist/engine.js, as the extension spawns it) trained over JSON-RPC with the built-in
// n-gram model: ordered notifications through to `completed`, cancel + resume, SIGKILL + restart + resume,
// and malformed input.
// Needs `npm run build` first (npm test does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createMessageConnection, ErrorCodes, RequestType, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { EngineClient } from '../../src/extension/engine/engineClient';
import { Initialize, PROTOCOL_VERSION } from '../../src/protocol/engine';
import { EngineErrorCodes } from '../../src/protocol/errors';
import { ModelPredict, ModelSetActive } from '../../src/protocol/model';
import { RunCancel, RunStart } from '../../src/protocol/runs';
import type { EpochReport, RunProgress, RunStateChange } from '../../src/protocol/train';
import { needs, shared, sharedPath } from '../helpers/requirements';

const root = join(__dirname, '..', '..');
const enginePath = process.env.CLASSIFIER_WORKBENCH_ENGINE ?? join(root, 'dist', 'engine.js');
const emotion = sharedPath('data', 'emotion', 'train.jsonl');
/** The tests that train on the first lines of emotion (`workspace()`). */
const needsEmotion = needs(shared('data/emotion/train.jsonl'));

function workspace(lines: number): { dir: string; dataset: string; runsDir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-rpc-'));
  const dataset = join(dir, 'data', 'train.jsonl');
  mkdirSync(join(dir, 'data'));
  writeFileSync(dataset, `${readFileSync(emotion, 'utf8').split('\n').slice(0, lines).join('\n')}\n`);
  return { dir, dataset, runsDir: join(dir, 'runs'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function newClient(): EngineClient {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run npm run build first`);
  return new EngineClient({ process: { modulePath: enginePath }, output: { appendLine: () => undefined }, clientName: 'test', restart: { baseDelayMs: 10 } });
}

function nextState(client: EngineClient, runId: string, states: string[]): Promise<RunStateChange> {
  return new Promise((resolve) => {
    const sub = client.onRunState((s) => {
      if (s.runId === runId && states.includes(s.state)) {
        sub.dispose();
        resolve(s);
      }
    });
  });
}

function progressAtLeast(client: EngineClient, runId: string, step: number): Promise<RunProgress> {
  return new Promise((resolve) => {
    const sub = client.onProgress((p) => {
      if (p.runId === runId && p.step >= step) {
        sub.dispose();
        resolve(p);
      }
    });
  });
}

const runJson = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { state: string; progress: { epoch: number; step: number } };

test('a run started over RPC streams ordered progress and epochs through to completed, with its folder complete', needsEmotion, async () => {
  const ws = workspace(600);
  const client = newClient();
  try {
    const seen: string[] = [];
    const progress: RunProgress[] = [];
    const epochs: EpochReport[] = [];
    client.onProgress((p) => (progress.push(p), seen.push('progress')));
    client.onEpoch((e) => (epochs.push(e), seen.push(`epoch${e.epoch}`)));
    client.onRunState((s) => seen.push(s.state));
    const run = await client.startRun({ dataset: ws.dataset, model: 'ngram', epochs: 3, runsDir: ws.runsDir });
    assert.equal(run.runDir, join(ws.runsDir, run.runId));
    const end = await nextState(client, run.runId, ['completed', 'failed', 'cancelled']);
    assert.equal(end.state, 'completed', end.message);

    assert.deepEqual(epochs.map((e) => e.epoch), [0, 1, 2, 3]);
    const order = seen.filter((s, i) => s !== 'progress' || seen[i - 1] !== 'progress');
    assert.deepEqual(order, ['queued', 'running', 'epoch0', 'progress', 'epoch1', 'progress', 'epoch2', 'progress', 'epoch3', 'completed']);
    const steps = progress.map((p) => p.step);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
    assert.equal(steps.at(-1), progress[0]!.totalSteps);
    assert.ok(progress.every((p) => p.runId === run.runId && Number.isFinite(p.loss) && p.samplesPerSecond > 0));

    assert.equal(runJson(run.runDir).state, 'completed');
    for (const file of ['run.json', 'events.jsonl', 'metrics.json', 'report.md', 'predictions/validation.jsonl', 'predictions/test.jsonl']) {
      assert.ok(existsSync(join(run.runDir, file)), `${file} missing`);
    }
    assert.ok(readdirSync(join(run.runDir, 'checkpoints', 'last')).length > 0);
    assert.ok(readdirSync(join(run.runDir, 'checkpoints', 'best')).length > 0);
    assert.ok(!existsSync(join(run.runDir, '.engine-pid')), 'the owner marker is removed when the run ends');
    const listed = await client.listRuns(ws.runsDir);
    assert.deepEqual(listed.map((r) => [r.runId, r.state]), [[run.runId, 'completed']]);

    const active = await client.setActiveModel(run.runDir);
    assert.deepEqual([...active.labels].sort(), ['anger', 'fear', 'joy', 'love', 'sadness', 'surprise']);
    const predicted = await client.predict({ texts: ['i feel so happy and joyful today', 'i am scared'], topK: 2, threshold: 0.99 });
    assert.equal(predicted.predictions.length, 2);
    for (const p of predicted.predictions) {
      assert.equal(p.probabilities.length, 6);
      assert.ok(Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      assert.equal(p.top.length, 2);
      assert.equal(p.label, p.confidence < 0.99 ? 'UNCERTAIN' : p.top[0]!.label);
    }
    const exported = await client.exportModel({ runDir: run.runDir, outDir: join(ws.dir, 'exported') });
    assert.ok(exported.files.length > 0);
    assert.equal((await client.setActiveModel(exported.outDir)).labels.length, 6);
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('run/cancel mid-run ends cancelled with checkpoints/last, and run/resume completes it', needsEmotion, async () => {
  const ws = workspace(4000);
  const client = newClient();
  try {
    // A small model to predict with while the real run trains.
    const small = await client.startRun({ dataset: ws.dataset, model: 'ngram', epochs: 1, runsDir: join(ws.dir, 'small-runs') });
    await nextState(client, small.runId, ['completed']);
    await client.setActiveModel(small.runDir);

    const run = await client.startRun({ dataset: ws.dataset, model: 'ngram', epochs: 4, runsDir: ws.runsDir });
    const queued = await client.startRun({ dataset: ws.dataset, model: 'ngram', epochs: 1, runsDir: ws.runsDir });
    assert.equal(queued.state, 'queued');
    assert.equal((await client.cancelRun(queued.runId)).state, 'cancelled');
    assert.equal(runJson(queued.runDir).state, 'cancelled');
    const first = await progressAtLeast(client, run.runId, 1);
    let running = true;
    void nextState(client, run.runId, ['completed', 'cancelled', 'failed']).then(() => (running = false));
    for (let i = 0; i < 5; i++) {
      const answer = await client.predict({ texts: [`i feel fine ${i}`] });
      assert.equal(answer.predictions.length, 1);
      assert.ok(running, 'the prediction waited for the run to finish');
    }
    await progressAtLeast(client, run.runId, first.totalSteps / 4 + 1);
    let progressAfterCancel = 0;
    const stopped = await client.cancelRun(run.runId);
    const sub = client.onProgress((p) => p.runId === run.runId && progressAfterCancel++);
    assert.equal(stopped.state, 'cancelled');
    const record = runJson(run.runDir);
    assert.equal(record.state, 'cancelled');
    assert.ok(record.progress.epoch < 4, 'the run was cancelled before its end');
    assert.ok(readdirSync(join(run.runDir, 'checkpoints', 'last')).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(progressAfterCancel, 0, 'training went on after the cancel');
    sub.dispose();

    const resumedProgress: RunProgress[] = [];
    client.onProgress((p) => p.runId === run.runId && resumedProgress.push(p));
    const done = nextState(client, run.runId, ['completed', 'failed', 'cancelled']);
    await client.resumeRun(run.runDir);
    const end = await done;
    assert.equal(end.state, 'completed', end.message);
    // Resumed where it stopped, not from the first step.
    assert.ok(resumedProgress[0]!.step > first.totalSteps / 4);
    assert.equal(runJson(run.runDir).state, 'completed');

    // The run cancelled while queued never trained: resuming it trains it from the start, in its own folder.
    const queuedDone = nextState(client, queued.runId, ['completed', 'failed', 'cancelled']);
    assert.equal((await client.resumeRun(queued.runDir)).runDir, queued.runDir);
    const queuedEnd = await queuedDone;
    assert.equal(queuedEnd.state, 'completed', queuedEnd.message);
    assert.equal(runJson(queued.runDir).state, 'completed');
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('SIGKILL of the engine mid-run: reported, run interrupted on disk, a new engine resumes it to completed', needsEmotion, async () => {
  const ws = workspace(4000);
  const client = newClient();
  try {
    const crashes: string[] = [];
    client.onCrash((c) => crashes.push(c.message));
    const run = await client.startRun({ dataset: ws.dataset, model: 'ngram', epochs: 4, runsDir: ws.runsDir });
    // After epoch 1, checkpoints/last exists; kill during epoch 2.
    await new Promise<void>((resolve) => {
      const sub = client.onEpoch((e) => e.runId === run.runId && e.epoch === 1 && (sub.dispose(), resolve()));
    });
    const interrupted = nextState(client, run.runId, ['interrupted']);
    process.kill(client.pid!, 'SIGKILL');
    const reported = await interrupted;
    assert.match(reported.message ?? '', /killed \(SIGKILL\)/);
    assert.equal(crashes.length, 1);
    assert.equal(runJson(run.runDir).state, 'running', 'nothing could write the file while the engine was dead');

    const info = await client.info();
    assert.deepEqual(info.markedInterrupted, [run.runId]);
    assert.equal(runJson(run.runDir).state, 'interrupted');
    const done = nextState(client, run.runId, ['completed', 'failed', 'cancelled']);
    await client.resumeRun(run.runDir);
    const end = await done;
    assert.equal(end.state, 'completed', end.message);
    assert.equal(runJson(run.runDir).state, 'completed');
  } finally {
    await client.dispose();
    ws.cleanup();
  }
});

test('malformed input gets a JSON-RPC error and the engine keeps serving', async () => {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run npm run build first`);
  const child = spawn(process.execPath, [enginePath, '--max-message-bytes', '4096'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const fails = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: unknown) => {
    assert.ok(e instanceof ResponseError, String(e));
    return e;
  });
  try {
    const mismatch = await fails(connection.sendRequest(Initialize.type, { protocolVersion: PROTOCOL_VERSION + 1, client: 'test' }));
    assert.equal(mismatch.code, EngineErrorCodes.protocolMismatch);
    assert.match(mismatch.message, new RegExp(`protocol version ${PROTOCOL_VERSION + 1} and the engine .* speaks ${PROTOCOL_VERSION}`));

    const unknown = await fails(connection.sendRequest(new RequestType<unknown, unknown, unknown>('run/explode'), {}));
    assert.equal(unknown.code, ErrorCodes.MethodNotFound);

    const badParams = await fails(connection.sendRequest(ModelPredict.type, { texts: 'not a list' } as never));
    assert.equal(badParams.code, ErrorCodes.InvalidParams);
    assert.match(badParams.message, /params\.texts must be an array of strings/);
    const badConfig = await fails(connection.sendRequest(RunStart.type, { config: { dataset: '/x.jsonl', epochs: 0 } }));
    assert.equal(badConfig.code, ErrorCodes.InvalidParams);
    assert.match(badConfig.message, /params\.config\.epochs must be ≥ 1/);
    const noParams = await fails(connection.sendRequest(RunCancel.type, null as never));
    assert.equal(noParams.code, ErrorCodes.InvalidParams);

    const noModel = await fails(connection.sendRequest(ModelPredict.type, { texts: ['x'] }));
    assert.equal(noModel.code, EngineErrorCodes.noActiveModel);
    const noRun = await fails(connection.sendRequest(RunCancel.type, { runId: 'nope' }));
    assert.equal(noRun.code, EngineErrorCodes.runNotFound);
    const noDataset = await fails(connection.sendRequest(RunStart.type, { config: { dataset: join(tmpdir(), 'cw-no-such', 'train.jsonl'), model: 'ngram' } }));
    assert.equal(noDataset.code, EngineErrorCodes.invalidDataset);
    assert.deepEqual(noDataset.data, { file: join(tmpdir(), 'cw-no-such', 'train.jsonl'), detail: 'dataset file not found; check the path' });
    assert.equal(existsSync(join(tmpdir(), 'cw-no-such')), false);
    const badModelPath = await fails(connection.sendRequest(ModelSetActive.type, { path: join(tmpdir(), 'cw-no-such-model') }));
    assert.notEqual(badModelPath.code, EngineErrorCodes.internal);
    assert.ok((badModelPath.data as { detail: string }).detail.length > 0);

    const oversized = await fails(connection.sendRequest(ModelPredict.type, { texts: ['x'.repeat(10_000)] }));
    assert.equal(oversized.code, ErrorCodes.InvalidRequest);
    assert.match(oversized.message, /at most 4096 bytes/);

    // Bytes that are not JSON at all.
    child.stdin.write('Content-Length: 9\r\n\r\n{not json');

    const badBackend = await fails(connection.sendRequest(Initialize.type, { protocolVersion: PROTOCOL_VERSION, client: 'test', backend: 'quantum' as never }));
    assert.equal(badBackend.code, ErrorCodes.InvalidParams);
    assert.match(badBackend.message, /params\.backend must be one of auto, tensorflow-gpu, tensorflow, wasm, cpu/);

    const info = await connection.sendRequest(Initialize.type, { protocolVersion: PROTOCOL_VERSION, client: 'test', backend: 'cpu' });
    assert.equal(info.protocolVersion, PROTOCOL_VERSION);
    assert.equal(info.capabilities.maxMessageBytes, 4096);
    // The requested backend, or the best available one with the reason the requested one could not load.
    if (info.backend.name !== 'cpu') assert.match(info.backend.note ?? '', /cpu backend cannot be used .* Using \S+ instead/);
  } finally {
    connection.dispose();
    child.kill();
  }
});
