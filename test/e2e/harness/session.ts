// One e2e session: code-server (installed into the cache on first use) with the freshly packaged .vsix, a new
// workspace, and chromium on the workbench with the workspace-trust question answered. close() tears it all down
// by process id, also after a failure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCodeServer, installExtension, type CodeServerSession } from './codeServer';
import { ensureCodeServer } from './codeServerInstall';
import { requireChromium, Workbench } from './workbench';
import { createWorkspace, type E2eWorkspace } from './workspace';

const root = join(__dirname, '..', '..', '..');
let packaged: string | undefined;

/**
 * Packages the extension as `npm run package` does (production bundles, vsce, the .vscodeignore allow-list), in a
 * staging copy so the shared dist/ (other test files read it meanwhile) is left alone. Once per test process.
 */
export function packageExtension(): string {
  if (packaged) return packaged;
  const dir = mkdtempSync(join(tmpdir(), 'cw-e2e-vsix-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'package.nls.json', 'l10n', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'media', 'assets', 'samples']) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  }
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--outdir', join(stage, 'dist')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`production build failed:\n${build.stdout}\n${build.stderr}`);
  const out = join(dir, 'classifier-workbench.vsix');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return (packaged = out);
}

export interface Session {
  workbench: Workbench;
  server: CodeServerSession;
  workspace: E2eWorkspace;
  /** The installed extension's folder (what the .vsix unpacked to: `dist/cli.js` is the CLI it ships). */
  extensionDir: string;
  /** ms from spawning code-server to the workbench answering (activity bar shown). */
  workbenchLoadedMs: number;
  /** The last `lines` lines of the extension's output channel (engine and run messages), as VS Code logged them. */
  extensionLogTail(lines: number): string;
  close(): Promise<void>;
}

/** Starts code-server on a new workspace and opens it in chromium, trusting the folder or not. */
export async function startSession(opts: { trust: boolean; prefix: string; trainLines?: number }): Promise<Session> {
  requireChromium();
  const install = ensureCodeServer();
  const vsix = packageExtension();
  const stateDir = mkdtempSync(join(tmpdir(), 'cw-e2e-state-'));
  const workspaceDir = mkdtempSync(join(tmpdir(), 'cw-e2e-ws-'));
  const workspace = createWorkspace(workspaceDir, { trainLines: opts.trainLines ?? 300, evalLines: 60 });
  let server: CodeServerSession | undefined;
  let workbench: Workbench | undefined;
  const close = async () => {
    await workbench?.close();
    await server?.stop();
    // CW_E2E_KEEP=1 keeps the VS Code logs (user-data/logs, the extension's output channel) and the workspace to debug.
    if (process.env.CW_E2E_KEEP === '1') return console.log(`e2e: kept ${stateDir} and ${workspaceDir}`);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(workspaceDir, { recursive: true, force: true });
  };
  try {
    installExtension({ install, stateDir }, vsix);
    server = await startCodeServer({
      install, stateDir,
      userSettings: {
        // Trust is asked for explicitly, and answered by the test.
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'always',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'chat.disableAIFeatures': true,
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
    });
    workbench = await Workbench.open(server.url, workspaceDir, opts.prefix);
    const workbenchLoadedMs = Date.now() - server.startedAt;
    await workbench.answerTrustDialog(opts.trust);
    const extensionDir = installedExtension(stateDir);
    return { workbench, server, workspace, extensionDir, workbenchLoadedMs, extensionLogTail: (lines) => outputChannelTail(stateDir, lines), close };
  } catch (error) {
    if (workbench) await workbench.screenshot('setup-failure').catch(() => undefined);
    const log = server?.output().slice(-3000);
    await close();
    if (log && error instanceof Error) error.message += `\ncode-server output:\n${log}`;
    throw error;
  }
}

/** The folder `--install-extension` unpacked our .vsix to: `<stateDir>/extensions/<publisher>.<name>-<version>`. */
function installedExtension(stateDir: string): string {
  const extensions = join(stateDir, 'extensions');
  const dir = readdirSync(extensions).find((d) => d.startsWith('classifier-workbench.classifier-workbench-'));
  if (!dir) throw new Error(`the extension is not installed in ${extensions}: ${readdirSync(extensions).join(', ')}`);
  return join(extensions, dir);
}

/**
 * The tail of the extension's output channel: VS Code writes each channel to
 * `user-data/logs/<session>/exthost1/output_logging_<time>/<n>-Classifier Workbench.log`.
 */
function outputChannelTail(stateDir: string, lines: number): string {
  const logs = join(stateDir, 'user-data', 'logs');
  const files = existsSync(logs) ? readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('Classifier Workbench.log')).sort() : [];
  if (!files.length) return `(no output channel log under ${logs})`;
  return readFileSync(join(logs, files[files.length - 1]!), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
