// The active model: loaded in the engine before it is remembered, kept across reloads, reloaded after an engine restart.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ActiveModelState, forgetDeletedActiveModel } from '../../../../src/extension/activeModel/activeModelState';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shownMessages } from '../fakeVscode';

function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return { get: (k: string) => values.get(k), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [...values.keys()] } as unknown as vscode.Memento;
}

test('set loads first, persists, and a new session restores and loads lazily once per engine', async () => {
  const loads: string[] = [];
  const engine = { setActiveModel: async (path: string) => { loads.push(path); if (path.includes('bad')) throw new Error('bad folder'); return { path, labels: ['a', 'b'] }; } };
  const store = memento();
  const state = new ActiveModelState(store, engine);
  assert.equal(state.statusText().text, '$(hubot) No model');
  await assert.rejects(state.set('/runs/bad'), /bad folder/);
  assert.equal(state.current, undefined, 'a model that failed to load is not remembered');
  await state.set('/ws/.classifier-workbench/runs/r7', 'r7');
  assert.deepEqual(state.current, { path: '/ws/.classifier-workbench/runs/r7', name: 'r7', runId: 'r7' });
  assert.equal(state.statusText().text, '$(hubot) r7');

  const reloaded = new ActiveModelState(store, engine);
  assert.equal(reloaded.current?.runId, 'r7');
  loads.length = 0;
  await reloaded.ensureLoaded();
  await reloaded.ensureLoaded();
  assert.deepEqual(loads, ['/ws/.classifier-workbench/runs/r7'], 'loaded once');
  reloaded.invalidateEngineCopy();
  assert.deepEqual((await reloaded.ensureLoaded())?.labels, ['a', 'b']);
  assert.equal(loads.length, 2, 'loaded again after the engine lost it');
  await reloaded.clear();
  assert.equal(new ActiveModelState(store, engine).current, undefined);
});

test('a run folder deleted or moved outside the extension clears the active model loaded from it, once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-active-gone-'));
  try {
    const runDir = join(dir, 'runs', 'r1');
    mkdirSync(runDir, { recursive: true });
    const engine = { setActiveModel: async (path: string) => ({ path, labels: ['a'] }) };
    const state = new ActiveModelState(memento(), engine);
    await state.set(runDir, 'r1');
    assert.equal(await forgetDeletedActiveModel(state, join(dir, 'runs', 'r2')), false, 'another run');
    assert.equal(await forgetDeletedActiveModel(state, runDir), false, 'run.json rewritten in place: the folder is still there');
    rmSync(runDir, { recursive: true });
    assert.equal(await forgetDeletedActiveModel(state, runDir), true);
    assert.equal(state.current, undefined);
    assert.equal(state.statusText().text, '$(hubot) No model');
    assert.match(shownMessages.at(-1)?.message ?? '', /^The active model r1 was deleted or moved/);
    assert.equal(await forgetDeletedActiveModel(state, runDir), false, 'already cleared');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
