// Every failure reaches the user as one message with a next step: open the file at the line, open the setting,
// show the engine log, or restart the engine. Never a stack trace; that goes to the log.
import * as vscode from 'vscode';
import { EngineErrorCodes, type EngineErrorData } from '../../protocol/errors';
import { commandIds } from './commandIds';

// Button labels, translated when shown (vscode.l10n), compared with the choice by the same call.
const openAtLine = () => vscode.l10n.t('Open file at line');
const openSettings = () => vscode.l10n.t('Open settings');
const showLog = () => vscode.l10n.t('Show log');
const restartEngine = () => vscode.l10n.t('Restart engine');

/** What a failure offers; exported so tests check the mapping without a UI. */
export interface FailureView {
  message: string;
  actions: string[];
  where?: { file: string; line?: number; column?: number };
  setting?: string;
}

/**
 * Describes an error for the user: the engine's `ResponseError` (code + data with file/line), an
 * `EngineUnavailableError`, or anything else.
 * @param doing what failed, in sentence case ("Fine-tuning train.jsonl failed").
 */
export function describeFailure(doing: string, error: unknown): FailureView {
  const { code, data, message } = errorParts(error);
  // The engine words option advice for VS Code too (settings, dialogue steps): never show a user a CLI flag.
  const detail = data?.editorDetail ?? data?.detail ?? message;
  const where = data?.file ? { file: data.file, line: data.line, column: data.column } : undefined;
  const location = where ? ` (${where.file.split(/[\\/]/).pop()}${where.line ? `:${where.line}` : ''})` : '';
  const actions: string[] = [];
  let setting: string | undefined;
  if (where) actions.push(openAtLine());
  if (code === EngineErrorCodes.invalidModel) setting = 'classifierWorkbench.defaultModel';
  else if (/\bbackend\b/i.test(detail)) setting = 'classifierWorkbench.engine.backend';
  else if (code === EngineErrorCodes.invalidOption) setting = 'classifierWorkbench';
  else if (/tensorflow|wasm/i.test(detail)) setting = 'classifierWorkbench.engine.backend';
  if (setting) actions.push(openSettings());
  if ((error as Error | undefined)?.name === 'EngineUnavailableError') actions.push(restartEngine());
  actions.push(showLog());
  return { message: `${doing}: ${detail.replace(/\s+$/, '')}${location}`, actions, where, setting };
}

const failureListeners: ((message: string) => void)[] = [];

/** Hears every failure message shown (the run history in the output channel logs them with the time). */
export function onFailureShown(listener: (message: string) => void): { dispose(): void } {
  failureListeners.push(listener);
  return { dispose: () => void failureListeners.splice(failureListeners.indexOf(listener) >>> 0, 1) };
}

/** Shows the failure and runs the chosen next step. */
export async function showFailure(doing: string, error: unknown): Promise<void> {
  const view = describeFailure(doing, error);
  for (const listener of failureListeners) listener(view.message);
  const choice = await vscode.window.showErrorMessage(view.message, ...view.actions);
  if (choice === openAtLine() && view.where) await openFileAt(view.where.file, view.where.line, view.where.column);
  else if (choice === openSettings()) await vscode.commands.executeCommand('workbench.action.openSettings', view.setting);
  else if (choice === showLog()) await vscode.commands.executeCommand(commandIds.showEngineLog);
  else if (choice === restartEngine()) await vscode.commands.executeCommand(commandIds.restartEngine);
}

/** Opens a file with the cursor on a 1-based line and column. */
export async function openFileAt(file: string, line?: number, column?: number): Promise<void> {
  const l = Math.max(0, (line ?? 1) - 1);
  const c = Math.max(0, (column ?? 1) - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(l, c, l, c), preview: true });
}

function errorParts(error: unknown): { code?: number; data?: EngineErrorData; message: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { code?: unknown; data?: unknown; message?: unknown };
  const data = typeof e.data === 'object' && e.data !== null && typeof (e.data as EngineErrorData).detail === 'string' ? (e.data as EngineErrorData) : undefined;
  return { code: typeof e.code === 'number' ? e.code : undefined, data, message: typeof e.message === 'string' ? e.message : String(error) };
}
