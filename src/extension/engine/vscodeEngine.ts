/**
 * The VS Code side of the engine client, kept apart so the client itself stays testable under plain Node:
 * builds the process options from the extension context (inspector in development), backs the output sink
 * with an OutputChannel, and turns crashes into a message with "Show log" / "Restart engine".
 */
import * as vscode from 'vscode';
import { readSettings } from '../settings';
import { EngineClient } from './engineClient';
import type { OutputSink } from './outputSink';

/** Inspector port of the engine when the extension runs in development mode. */
const debugInspectPort = 6010;

/** An OutputSink that writes to `channel` (the "Classifier Workbench" output channel). */
export function outputChannelSink(channel: vscode.OutputChannel): OutputSink {
  return { appendLine: (line) => channel.appendLine(line), show: () => channel.show(true) };
}

/**
 * Creates the extension's engine client: `dist/engine.js` run by the extension host's own Node, started on
 * first use, disposed with the extension. Crashes are reported once each with actions.
 */
export function createEngineClient(context: vscode.ExtensionContext, channel: vscode.OutputChannel): EngineClient {
  const development = context.extensionMode === vscode.ExtensionMode.Development;
  const client = new EngineClient({
    process: {
      modulePath: context.asAbsolutePath('dist/engine.js'),
      execArgv: development ? [`--inspect=${debugInspectPort}`] : [],
    },
    output: outputChannelSink(channel),
    backend: () => readSettings().backend,
    clientName: `vscode ${vscode.version}`,
  });
  const crashes = client.onCrash(async (crash) => {
    const showLog = vscode.l10n.t('Show log');
    const restart = vscode.l10n.t('Restart engine');
    const actions = crash.willRestart ? [showLog] : [showLog, restart];
    const suffix = crash.willRestart ? ` ${vscode.l10n.t('It restarts on the next request.')}` : '';
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Classifier Workbench: {0}', `${crash.message}${suffix}`), ...actions);
    if (choice === showLog) channel.show(true);
    if (choice === restart) await restartEngine(client, channel);
  });
  context.subscriptions.push(crashes, { dispose: () => void client.dispose() });
  return client;
}

/** The "Restart engine" command: clears the restart budget and starts a fresh engine, reporting failure with the log. */
export async function restartEngine(client: EngineClient, channel: vscode.OutputChannel): Promise<void> {
  try {
    const info = await client.restart();
    void vscode.window.showInformationMessage(vscode.l10n.t('Classifier Workbench engine {0} restarted ({1}).', info.engineVersion, info.backend.name));
  } catch (error) {
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Classifier Workbench: the engine did not start: {0}', error instanceof Error ? error.message : String(error)), vscode.l10n.t('Show log'));
    if (choice) channel.show(true);
  }
}
