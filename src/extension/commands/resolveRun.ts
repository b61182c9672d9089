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
    void vscode.window.showInformationMessage(vscode.l10n.t('No run to {0}: none is {1}.', purpose, states.join(` ${vscode.l10n.t('or')} `)));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((r) => toPickItem(r, runs.records)), { title: vscode.l10n.t('Pick a run to {0}', purpose), matchOnDescription: true, matchOnDetail: true });
  return picked?.record;
}

/**
 * Lets the user tick two or more runs (for comparison). Accepting with fewer than two ticked keeps the list open and
 * asks for another; `selected` (run folders, e.g. the comparison already shown) starts ticked.
 * @returns the ticked runs, or undefined when the user dismissed the list.
 */
export async function pickRuns(runs: RunsTreeProvider, purpose: string, selected: readonly string[] = []): Promise<RunRecord[] | undefined> {
  await runs.refresh();
  const candidates = runs.records.filter((r) => r.epochs.length > 0);
  if (candidates.length < 2) {
    void vscode.window.showInformationMessage(vscode.l10n.t('To {0}, at least two runs with evaluated epochs are needed; {1} found.', purpose, candidates.length));
    return undefined;
  }
  const items = candidates.map((r) => toPickItem(r, runs.records));
  const qp = vscode.window.createQuickPick<(typeof items)[number]>();
  qp.title = vscode.l10n.t('Pick runs to {0}', purpose);
  qp.placeholder = vscode.l10n.t('Tick two or more runs, then press Enter');
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = items;
  qp.selectedItems = items.filter((i) => selected.includes(i.record.runDir));
  return new Promise((resolve) => {
    let result: RunRecord[] | undefined;
    qp.onDidAccept(() => {
      const ticked = qp.selectedItems;
      if (ticked.length < 2) {
        // Stay open: one run cannot be compared, and closing would lose the tick.
        // (A QuickPick has no validation message: the placeholder asks, and the title says it too.)
        qp.placeholder = ticked.length ? vscode.l10n.t('1 run ticked: tick one more to {0} with it, then press Enter', purpose) : vscode.l10n.t('Tick at least two runs, then press Enter');
        qp.title = vscode.l10n.t('Pick runs to {0} ({1} of 2 or more ticked)', purpose, ticked.length);
        return;
      }
      result = ticked.map((i) => i.record);
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    qp.show();
  });
}

function toPickItem(record: RunRecord, all: readonly RunRecord[]): vscode.QuickPickItem & { record: RunRecord } {
  return { label: runLabel(record, undefined, all), description: runDescription(record, undefined), detail: record.runId, record };
}
