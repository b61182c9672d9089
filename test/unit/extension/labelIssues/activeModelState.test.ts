// The active model: loaded in the engine before it is remembered, kept across reloads, reloaded after an engine restart.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ActiveModelState } from '../../../../src/extension/activeModel/activeModelState';

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
