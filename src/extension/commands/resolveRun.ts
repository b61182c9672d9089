// Which run a run command acts on: a Runs tree node, a run id (status bar, notifications), or — from the
// palette — one the user picks among the runs in the states the command accepts.
import * as vscode from 'vscode';
import type { RunStateName } from '../../protocol/train';
import type { RunRecord } from '../views/runFolderReader';
import { runDescription, runLabel, type RunsTreeProvider } from '../views/runsTree';

/**
 * The run record for a command argument, or one the user picks.
 * @param states the states the command accepts; other runs are not offered.
 */
export async function resolveRun(arg: unknown, runs: RunsTreeProvider, states: readonly RunStateName[], purpose: string): Promise<RunRecord | undefined> {
  // A tree node, `{ runId, ... }` from a quick fix or notification, or a bare id from the status bar.
  const fromObject = (arg as { runId?: unknown } | undefined)?.runId;
  const id = typeof arg === 'string' ? arg : typeof fromObject === 'string' ? fromObject : undefined;
  if (id) {
    const known = runs.record(id) ?? (await runs.refresh(), runs.record(id));
    if (known) return known;
  }
  if (!runs.records.length) await runs.refresh();
  const candidates = runs.records.filter((r) => states.includes(r.state));
  if (!candidates.length) {
    void vscode.window.showInformationMessage(`No run to ${purpose}: none is ${states.join(' or ')}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((r) => toPickItem(r, runs.records)), { title: `Pick a run to ${purpose}`, matchOnDescription: true, matchOnDetail: true });
  return picked?.record;
}

/** Lets the user pick two or more runs (for comparison). */
export async function pickRuns(runs: RunsTreeProvider, purpose: string): Promise<RunRecord[] | undefined> {
  await runs.refresh();
  const candidates = runs.records.filter((r) => r.epochs.length > 0);
  if (candidates.length < 2) {
    void vscode.window.showInformationMessage(`To ${purpose}, at least two runs with evaluated epochs are needed; ${candidates.length} found.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((r) => toPickItem(r, runs.records)), { title: `Pick runs to ${purpose}`, canPickMany: true });
  if (picked && picked.length < 2) {
    void vscode.window.showInformationMessage('Pick at least two runs to compare.');
    return undefined;
  }
  return picked?.map((p) => p.record);
}

function toPickItem(record: RunRecord, all: readonly RunRecord[]): vscode.QuickPickItem & { record: RunRecord } {
  return { label: runLabel(record, undefined, all), description: runDescription(record, undefined), detail: record.runId, record };
}
