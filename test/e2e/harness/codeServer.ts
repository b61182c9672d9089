// Starts code-server for one test session: loopback only, no auth, its own user-data and extensions folders,
// telemetry and update checks off. The server runs in its own process group so that stop() ends it together with
// the extension host and the engine it spawned, by process id.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { CodeServerInstall } from './codeServerInstall';

export interface CodeServerSession {
  url: string;
  /** The server's process id (also its process group id). */
  pid: number;
  /** When the server process was spawned (Date.now()). */
  startedAt: number;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  install: CodeServerInstall;
  /** Holds `user-data/` and `extensions/`. */
  stateDir: string;
  /** VS Code user settings written before the start. */
  userSettings: Record<string, unknown>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function folders(stateDir: string): { userData: string; extensions: string } {
  return { userData: join(stateDir, 'user-data'), extensions: join(stateDir, 'extensions') };
}

/** Installs a .vsix into the session's extensions folder with `code-server --install-extension`. */
export function installExtension(opts: Pick<CodeServerOptions, 'install' | 'stateDir'>, vsix: string): void {
  const { userData, extensions } = folders(opts.stateDir);
  const r = spawnSync(opts.install.node, [opts.install.bin, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Starts code-server and resolves once it listens; the browser then opens `${url}/?folder=...`. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServerSession> {
  const { userData, extensions } = folders(opts.stateDir);
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(opts.userSettings, null, 2));
  const port = await freePort();
  const startedAt = Date.now();
  const child: ChildProcess = spawn(opts.install.node, [opts.install.bin,
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData, '--extensions-dir', extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;

  // The server is detached (its own group): if this test process ends abruptly, end the group with it.
  const killGroup = () => {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup();
    process.kill(process.pid, signal);
  };
  process.once('exit', killGroup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async (): Promise<void> => {
    process.off('exit', killGroup);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-pid, 'SIGTERM'); } catch { return; }
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000).unref())]);
    // The extension host or the engine may outlive a polite stop: end the whole group.
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    if (timedOut) await exited;
  };

  const listening = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000);
    const check = () => {
      if (/HTTP server listening on/.test(output)) { clearTimeout(timer); resolve(true); }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', () => { clearTimeout(timer); resolve(false); });
  });
  if (!listening) {
    await stop();
    throw new Error(`code-server did not start listening on 127.0.0.1:${port}:\n${output.slice(-4000)}`);
  }
  return { url: `http://127.0.0.1:${port}`, pid, startedAt, output: () => output, stop };
}
