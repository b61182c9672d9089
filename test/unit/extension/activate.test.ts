// Activates the real extension entry against a permissive stub of the VS Code API and checks the wiring: every
// contributed command is registered exactly once (VS Code refuses a second registration, which would break
// activation), the three views get providers, and activation starts no process and loads no engine code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import childProcess from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Answers any property access, call or `new` with another such value, except what `overrides` names. */
function anything(overrides: Record<string, unknown> = {}): unknown {
  const assigned = new Map<PropertyKey, unknown>();
  return new Proxy(function stub() {}, {
    set: (_t, prop, value) => (assigned.set(prop, value), true),
    get(_t, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (typeof prop === 'string' && prop in overrides) return overrides[prop];
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === 'prototype') return {};
      return anything();
    },
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

test('activate registers each command once, creates the views, and starts nothing heavy', () => {
  const registered: string[] = [];
  const views: string[] = [];
  const spawned: string[] = [];
  const api: Record<string, unknown> = {};
  const dts = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  for (const m of dts.matchAll(/^\t(?:export )?(?:namespace|class|enum|const|function|let) (\w+)/gm)) api[m[1]] = anything();
  api.commands = anything({
    registerCommand: (id: string) => {
      if (registered.includes(id)) throw new Error(`command '${id}' already exists`);
      registered.push(id);
      return { dispose() {} };
    },
  });
  api.window = anything({
    createTreeView: (id: string, options: { treeDataProvider?: { getChildren?: unknown; getTreeItem?: unknown } }) => {
      // A view whose tree has no data provider would stay empty in VS Code.
      if (typeof options?.treeDataProvider?.getChildren === 'function' && typeof options.treeDataProvider.getTreeItem === 'function') views.push(id);
      return anything();
    },
  });
  api.workspace = anything({ workspaceFolders: undefined, isTrusted: true, getConfiguration: () => ({ get: () => undefined }) });

  const moduleApi = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = moduleApi._resolveFilename;
  moduleApi._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode-activate-stub' : resolve.call(this, request, ...rest);
  };
  require.cache['vscode-activate-stub'] = { id: 'vscode-activate-stub', filename: 'vscode-activate-stub', loaded: true, exports: api } as NodeJS.Module;
  const originals = { spawn: childProcess.spawn, fork: childProcess.fork };
  childProcess.spawn = ((...args: unknown[]) => (spawned.push(String(args[0])), originals.spawn(...(args as Parameters<typeof childProcess.spawn>)))) as typeof childProcess.spawn;
  childProcess.fork = ((...args: unknown[]) => (spawned.push(String(args[0])), originals.fork(...(args as Parameters<typeof childProcess.fork>)))) as typeof childProcess.fork;
  try {
    const memento = () => ({ get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [] });
    const context = {
      subscriptions: [] as unknown[], extensionPath: root, asAbsolutePath: (p: string) => join(root, p), extensionMode: 1,
      extensionUri: anything({ fsPath: root }), globalState: memento(), workspaceState: memento(),
      globalStorageUri: anything({ fsPath: mkdtempSync(join(tmpdir(), 'cw-activate-test-')) }),
    };
    const { activate } = require(join(root, 'src/extension/extension.ts')) as { activate(c: unknown): void };
    activate(context);

    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const { command } of pkg.contributes.commands as { command: string }[]) assert.ok(registered.includes(command), `${command} is contributed but not registered`);
    assert.deepEqual([...views].sort(), pkg.contributes.views.classifierWorkbench.map((v: { id: string }) => v.id).sort());
    assert.ok(context.subscriptions.length > 20, 'everything is owned by the extension context');
    assert.deepEqual(spawned, [], 'the engine starts on first use, not on activation');
    const engineModules = Object.keys(require.cache).filter((k) => /[\\/]src[\\/]engine[\\/]|@tensorflow/.test(k));
    assert.deepEqual(engineModules, [], 'activation loads no engine or tfjs module');
  } finally {
    moduleApi._resolveFilename = resolve;
    Object.assign(childProcess, originals);
  }
});
