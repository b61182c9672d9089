// One activation sample for bench/activate.ts, in plain JavaScript so that measuring dist/extension.js needs no
// TypeScript loader (tsx's require hook would add its own time): requires the main module named on the command
// line with a stub `vscode`, calls activate, and prints one JSON line.
'use strict';
const Module = require('node:module');
const childProcess = require('node:child_process');
const { mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const [mainPath, root] = process.argv.slice(2);

/** A value that answers any property access, call or `new` with another such value (a do-nothing API). */
function anything(overrides = {}) {
  const assigned = new Map();
  return new Proxy(function stub() {}, {
    set(_t, prop, value) {
      assigned.set(prop, value);
      return true;
    },
    get(t, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (typeof prop === 'string' && prop in overrides) return overrides[prop];
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === 'prototype') return {};
      return anything();
    },
    apply: () => anything(),
    construct: () => anything(),
  });
}

function memento() {
  const values = new Map();
  return { get: (k, d) => (values.has(k) ? values.get(k) : d), update: async (k, v) => void values.set(k, v), keys: () => [...values.keys()] };
}

const spawned = [];
for (const name of ['spawn', 'fork', 'exec', 'execFile']) {
  const original = childProcess[name];
  childProcess[name] = (...args) => {
    spawned.push(`${name} ${String(args[0])}`);
    return original(...args);
  };
}

// Every top-level value of the real API (from @types/vscode) as an own property: `import * as vscode` copies them.
const dts = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
const vscode = {};
for (const m of dts.matchAll(/^\t(?:export )?(?:namespace|class|enum|const|function|let) (\w+)/gm)) vscode[m[1]] = anything();
vscode.workspace = anything({ workspaceFolders: undefined, isTrusted: true, getConfiguration: () => ({ get: () => undefined }) });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode-stub' : resolve.call(this, request, ...rest);
};
require.cache['vscode-stub'] = { id: 'vscode-stub', filename: 'vscode-stub', loaded: true, exports: vscode };

const context = {
  subscriptions: [],
  extensionUri: anything({ fsPath: root, path: root, scheme: 'file' }),
  extensionPath: root,
  asAbsolutePath: (p) => join(root, p),
  globalState: memento(),
  workspaceState: memento(),
  globalStorageUri: anything({ fsPath: mkdtempSync(join(tmpdir(), 'cw-activate-')) }),
  extensionMode: 1,
};
const before = new Set(Object.keys(require.cache));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const extension = require(mainPath);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
// CPU time of this thread's work: close to the wall time an idle machine would show.
const cpu = process.cpuUsage(cpu0);
const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
const heavy = loaded.filter((k) => /@tensorflow|[\\/]src[\\/]engine[\\/]|[\\/]dist[\\/](engine|trainWorker)\.js|@huggingface/.test(k));
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, modules: loaded.length, heavy, spawned, disposables: context.subscriptions.length }) + '\n');
// Timers armed during activation (none are expected) must not keep the probe alive.
process.exit(0);
