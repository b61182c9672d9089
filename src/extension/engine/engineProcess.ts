/**
 * The only place that starts the engine: a child process running the bundled engine with the Node that runs
 * the extension host (`process.execPath` + `ELECTRON_RUN_AS_NODE=1`), JSON-RPC over its stdin/stdout.
 */
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface EngineProcessOptions {
  /** Absolute path of the engine entry: `dist/engine.js` in the extension, or the TS source with `--import tsx`. */
  modulePath: string;
  /** Node options placed before the module (`--inspect=6010` when debugging, `--import tsx` for sources). */
  execArgv?: string[];
  /** Engine options placed after the module (`--max-message-bytes N`). */
  args?: string[];
  /** Extra environment; `ELECTRON_RUN_AS_NODE=1` is always set so Electron's binary behaves as Node. */
  env?: Record<string, string | undefined>;
  /** The Node binary; default `process.execPath` (the extension host's own runtime). */
  execPath?: string;
  cwd?: string;
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EngineProcess {
  readonly connection: MessageConnection;
  readonly pid: number | undefined;
  /** Resolves once the process has exited, for whatever reason. */
  readonly exited: Promise<EngineExit>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Spawns the engine and returns its JSON-RPC connection (not yet listening, so handlers can be added first).
 * @param onStderr receives the engine's stderr text as it arrives (logs, stack traces).
 */
export function startEngineProcess(options: EngineProcessOptions, onStderr: (text: string) => void): EngineProcess {
  const child = spawn(options.execPath ?? process.execPath, [...(options.execArgv ?? []), options.modulePath, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', onStderr);
  // A write to a dead engine must not crash the extension host; the exit handler reports the death.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<EngineExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      onStderr(`Could not start the engine: ${error.message}\n`);
      resolve({ code: null, signal: null });
    });
  });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  return {
    connection,
    pid: child.pid,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
