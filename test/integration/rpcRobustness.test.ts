// The engine outlives bad requests (issue 17, kind 3), against a live engine process (the stand-in library, the
// real server): malformed frames and a seeded fuzz of random frames and headers, params nested 10,000 deep, and a
// model whose loading or predicting runs out of memory. After each, a valid request must still be answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../../src/protocol/engine';

const standIn = join(__dirname, 'fixtures', 'standInEngine.ts');

interface Reply { id: number | string | null; result?: unknown; error?: { code: number; message: string } }

/** An engine process driven with raw bytes on stdin; replies are read frame by frame from stdout. */
class RawEngine {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  readonly replies: Reply[] = [];
  private waiters: Array<() => void> = [];
  stderr = '';
  /** stdout closed: every reply the engine wrote has been read. */
  ended = false;

  constructor(args: string[] = []) {
    this.child = spawn(process.execPath, ['--import', 'tsx', standIn, '--predictor-heap-mb', '64', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.child.stdout.on('end', () => {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, end).toString())![1]);
        if (this.buffer.length < end + 4 + length) break;
        const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Reply & { method?: string };
        this.buffer = this.buffer.subarray(end + 4 + length);
        if (message.method === undefined) this.replies.push(message);
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
  }

  write(bytes: Buffer | string): void {
    this.child.stdin.write(bytes);
  }

  /** Sends a request and waits for its reply (bounded: a hang fails the test instead of stalling the suite). */
  async request(id: number | string, method: string, params: unknown, timeoutMs = 20_000): Promise<Reply> {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    this.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return this.reply(id, timeoutMs);
  }

  async reply(id: number | string, timeoutMs: number): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.replies.find((r) => r.id === id);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) assert.fail(`no reply to ${id} (engine ${this.ended ? 'gone' : 'alive'}); stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  async initialize(): Promise<void> {
    const reply = await this.request('init', 'initialize', { protocolVersion: PROTOCOL_VERSION, client: 'test' });
    assert.equal(reply.error, undefined);
  }

  close(): void {
    this.child.kill('SIGKILL');
  }
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'cw-robust-'));
  const dataset = join(dir, 'train.jsonl');
  writeFileSync(dataset, '{"text":"a","label":"x"}\n');
  return { dir, dataset, runsDir: join(dir, 'runs'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `run/list` until the run is completed; fails if it leaves running/queued any other way or takes over 20 s. */
async function untilCompleted(engine: RawEngine, runsDir: string, runId: string): Promise<void> {
  for (let i = 0; ; i++) {
    const list = (await engine.request(`list-${runId}-${i}`, 'run/list', { runsDir })).result as Array<{ runId: string; state: string }>;
    const state = list.find((r) => r.runId === runId)?.state;
    if (state === 'completed') return;
    assert.ok(i < 400 && (state === undefined || state === 'running' || state === 'queued'), `the run completes: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const validList = (id: string, runsDir: string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'run/list', params: { runsDir } });

test('after each malformed frame the engine answers the next request (the reproducers and variants)', async () => {
  const ws = workspace();
  const engine = new RawEngine();
  try {
    await engine.initialize();
    const body = validList('lost', ws.runsDir);
    const bad = [
      `Content-Length: abc\r\n\r\n${body}`,
      `Content-Length: -12\r\n\r\n${body}`,
      `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`,
      `Content-Length: 10\r\n\r\n${body}`,
      `Content-Length: ${body.length}\n\n${body}`,
      `Content-Length: 50000\r\n\r\n{"jsonrpc":"2.0","id":"short"}`,
      '\u0000\u0001 not a frame at all \r\n\r\n',
      'Content-Length: 8\r\n\r\n[1,2,3]\n',
    ];
    for (const [i, frame] of bad.entries()) {
      engine.write(frame);
      const reply = await engine.request(`after-${i}`, 'run/list', { runsDir: ws.runsDir });
      assert.deepEqual(reply.result, [], `answered after ${JSON.stringify(frame.slice(0, 30))}`);
    }
    // Each bad frame got a parse error (id null) rather than silence.
    assert.ok(engine.replies.filter((r) => r.id === null && r.error?.code === -32700).length >= bad.length - 1);
    assert.equal(engine.child.exitCode, null);
  } finally {
    engine.close();
    ws.cleanup();
  }
});

test('fuzz: seeded random frames and headers into a live engine, each round then answers a valid request', async () => {
  const ws = workspace();
  const engine = new RawEngine();
  let seed = 0x17;
  const random = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (n: number) => Array.from({ length: n }, () => pick(['x', '{', '}', '"', ':', '\r', '\n', ' ', '\\', '7', '-', 'Content-Length: ', '\u0000', 'é'])).join('');
  const junk = [
    () => Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256))),
    () => Buffer.from(`Content-Length: ${pick(['x', '-3', '', '4.5', '1e2', '123456789012345678', String(Math.floor(random() * 500))])}${pick(['\r\n\r\n', '\n\n', '\r\n'])}${text(Math.floor(random() * 100))}`),
    () => Buffer.from(`${pick(['Content-Type', 'X-A', 'content-length'])}${pick([':', ''])} ${text(8)}\r\n\r\n${text(40)}`),
    () => { const b = text(Math.floor(random() * 80)); return Buffer.from(`Content-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`); },
    () => { const b = `{"jsonrpc":"2.0","id":"junk-${Math.floor(random() * 1e6)}","method":"${pick(['no/such', 'run/list', 'model/predict'])}","params":${pick(['1', '[]', '{}', '{"runsDir":7}', '{"texts":[[[[]]]]}'])}}`; return Buffer.from(`Content-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`); },
  ];
  const rounds = 60;
  try {
    await engine.initialize();
    for (let round = 0; round < rounds; round++) {
      const stream = Buffer.concat([...Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(junk)()), Buffer.from('\r\n\r\n')]);
      // Written in random pieces, as a pipe may deliver them.
      for (let at = 0; at < stream.length;) {
        const n = 1 + Math.floor(random() * 128);
        engine.write(stream.subarray(at, at + n));
        at += n;
      }
      const reply = await engine.request(`round-${round}`, 'run/list', { runsDir: ws.runsDir }, 10_000);
      assert.deepEqual(reply.result, [], `round ${round}: ${JSON.stringify(stream.toString('latin1'))}`);
    }
    assert.equal(engine.child.exitCode, null);
  } finally {
    engine.close();
    ws.cleanup();
  }
});

test('run/start with config.lora nested 10,000 deep is refused, and later runs still train and shutdown returns', async () => {
  const ws = workspace();
  const engine = new RawEngine();
  try {
    await engine.initialize();
    // Written by hand: JSON.stringify itself overflows the stack at this depth.
    const lora = `${'{"rank":4,"inner":'.repeat(10_000)}{}${'}'.repeat(10_000)}`;
    const body = `{"jsonrpc":"2.0","id":"deep","method":"run/start","params":{"config":{"dataset":${JSON.stringify(ws.dataset)},"runsDir":${JSON.stringify(ws.runsDir)},"lora":${lora}}}}`;
    engine.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const refused = await engine.reply('deep', 20_000);
    assert.equal(refused.error?.code, -32602);
    assert.match(refused.error!.message, /params\.config\.lora(\.inner)+ is nested more than 32 levels deep/);
    // Variant: deep nesting in an array, in another method.
    const texts = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    const arrayBody = `{"jsonrpc":"2.0","id":"deep-array","method":"model/predict","params":{"texts":${texts}}}`;
    engine.write(`Content-Length: ${Buffer.byteLength(arrayBody)}\r\n\r\n${arrayBody}`);
    const refusedArray = await engine.reply('deep-array', 20_000);
    assert.equal(refusedArray.error?.code, -32602);

    const started = await engine.request('run', 'run/start', { config: { dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 2, model: '5' } });
    const { runId } = started.result as { runId: string };
    await untilCompleted(engine, ws.runsDir, runId);
    // shutdown returns: the engine exits cleanly (it hung when the queue held a run without a worker).
    const exited = new Promise<number | null>((resolve) => engine.child.once('exit', (code) => resolve(code)));
    const bye = '{"jsonrpc":"2.0","id":"bye","method":"shutdown"}';
    engine.write(`Content-Length: ${bye.length}\r\n\r\n${bye}`);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    assert.equal(code, 0);
  } finally {
    engine.close();
    ws.cleanup();
  }
});

test('a model whose loading runs out of memory costs its thread only: the engine and a training run go on', async () => {
  const ws = workspace();
  const engine = new RawEngine();
  try {
    await engine.initialize();
    const started = await engine.request('run', 'run/start', { config: { dataset: ws.dataset, runsDir: ws.runsDir, epochs: 1, batchSize: 40, model: '25' } });
    const { runId } = started.result as { runId: string };
    const absurd = await engine.request('absurd', 'model/setActive', { path: join(ws.dir, 'absurd-config') }, 60_000);
    assert.equal(absurd.error?.code, -32002, JSON.stringify(absurd));
    assert.match(absurd.error!.message, /needed more than 64 MiB of memory to load or run; check the sizes in its config\.json.*The engine is still running/);
    // Variant: the model loads, then a prediction exhausts the heap; the next prediction says to set a model again.
    const ok = await engine.request('good', 'model/setActive', { path: join(ws.dir, 'model') });
    assert.deepEqual((ok.result as { labels: string[] }).labels, ['neg', 'pos']);
    const good = await engine.request('p1', 'model/predict', { texts: ['good'] });
    assert.equal((good.result as { predictions: Array<{ label: string }> }).predictions[0]!.label, 'pos');
    const exhausted = await engine.request('p2', 'model/predict', { texts: ['exhaust the heap'] }, 60_000);
    assert.equal(exhausted.error?.code, -32002);
    const after = await engine.request('p3', 'model/predict', { texts: ['good'] });
    assert.equal(after.error?.code, -32006);
    // The run that was training meanwhile completes.
    await untilCompleted(engine, ws.runsDir, runId);
    assert.equal(engine.child.exitCode, null);
  } finally {
    engine.close();
    ws.cleanup();
  }
});
