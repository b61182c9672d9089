// The engine client against a tiny fake engine: how it starts the process, where output goes, and how it
// refuses an engine of another protocol version or one that cannot start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EngineClient, EngineUnavailableError } from '../../../../src/extension/engine/engineClient';
import { PROTOCOL_VERSION } from '../../../../src/protocol/engine';

const fakeEngine = join(__dirname, 'fixtures', 'fakeEngine.js');

function client(args: string[], lines: string[], modulePath = fakeEngine): EngineClient {
  return new EngineClient({ process: { modulePath, args }, output: { appendLine: (l) => lines.push(l) }, clientName: 'test', restart: { baseDelayMs: 1 } });
}

test('starts the engine lazily with ELECTRON_RUN_AS_NODE=1 and pipes stderr and log notifications to the sink', async () => {
  const lines: string[] = [];
  const engine = client([String(PROTOCOL_VERSION)], lines);
  try {
    assert.equal(engine.isRunning, false);
    assert.equal(lines.length, 0, 'nothing starts before the first request');
    const info = await engine.info();
    assert.equal(info.engineVersion, 'ELECTRON_RUN_AS_NODE=1');
    assert.equal(engine.isRunning, true);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(lines.includes('fake engine: initialize received'), lines.join('\n'));
    assert.ok(lines.includes('[info] hello from the log'), lines.join('\n'));
    assert.ok(lines.includes('[warn] skipped; "Inspect dataset" lists them'), `a line worded for VS Code is logged in its words: ${lines.join('\n')}`);
    assert.ok(!lines.some((l) => l.includes('classifier-workbench inspect')), 'not in the CLI\'s');
  } finally {
    await engine.dispose();
  }
  assert.equal(engine.isRunning, false);
  await assert.rejects(engine.info(), EngineUnavailableError);
});

test('an engine of another protocol version is refused with a clear error, not restarted, and not reported as a crash', async () => {
  const lines: string[] = [];
  const engine = client([String(PROTOCOL_VERSION + 1)], lines);
  let crashes = 0;
  engine.onCrash(() => crashes++);
  try {
    await assert.rejects(engine.info(), (e: unknown) => e instanceof EngineUnavailableError && e.message.includes(`protocol version ${PROTOCOL_VERSION + 1}, the extension ${PROTOCOL_VERSION}`));
    await assert.rejects(engine.info(), /Restart engine/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(crashes, 0);
    assert.equal(engine.isRunning, false);
  } finally {
    await engine.dispose();
  }
});

test('an engine that cannot start rejects the request and says why in the log', async () => {
  const lines: string[] = [];
  const engine = client([], lines, join(__dirname, 'fixtures', 'missing.js'));
  try {
    await assert.rejects(engine.info());
    assert.ok(lines.some((l) => l.includes('Cannot find module')), lines.join('\n'));
  } finally {
    await engine.dispose();
  }
});
