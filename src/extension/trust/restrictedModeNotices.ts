// Restricted Mode in the side bar: while the workspace is untrusted, the Runs and Datasets views say above their
// items that training is off and why. Their welcome content says it when they are empty (package.json); this covers
// a workspace that has runs or datasets, where the welcome content is not shown and the only other sign would be
// greyed-out commands. Trust granted clears the line.
import * as vscode from 'vscode';

/** A tree view whose message line this module owns while the workspace is untrusted. */
export interface NoticeTarget {
  view: { message?: string };
  /** Whether the view lists anything (an empty view shows its welcome content instead). */
  hasItems(): boolean;
  /** Fires when the view's items change. */
  onDidChangeTreeData: vscode.Event<unknown>;
  /** The line to show in Restricted Mode. */
  message(): string;
}

/** The Runs view's line: runs are browsable, but nothing trains, resumes, loads, exports or deletes. */
export function runsRestrictedMessage(): string {
  return vscode.l10n.t('Restricted Mode: training, resuming, loading, exporting and deleting runs are off, because they load model files and data from this workspace, which you have not marked as trusted. Browsing runs still works.');
}

/** The Datasets view's line: inspecting works, fine-tuning and finding label issues do not. */
export function datasetsRestrictedMessage(): string {
  return vscode.l10n.t('Restricted Mode: fine-tuning and finding label issues are off, because they train on data from this workspace, which you have not marked as trusted. Inspecting datasets still works.');
}

/**
 * Keeps each target's message in step with trust and with whether it has items.
 * @returns the subscriptions, to be disposed with the extension.
 */
export function showRestrictedModeNotices(targets: readonly NoticeTarget[]): vscode.Disposable[] {
  const written = new Map<NoticeTarget, string | undefined>();
  const update = (target: NoticeTarget) => {
    const message = !vscode.workspace.isTrusted && target.hasItems() ? target.message() : undefined;
    // A message another part of the extension put there is left alone; ours is replaced or cleared. Assigning the
    // same text would repaint the view, so only a change is written.
    // VS Code's TreeView starts with an empty message (''), not undefined: both mean none.
    const current = target.view.message || undefined;
    if (current !== undefined && current !== written.get(target)) return;
    if (current === message) return;
    target.view.message = message;
    written.set(target, message);
  };
  targets.forEach(update);
  return [
    ...targets.map((t) => t.onDidChangeTreeData(() => update(t))),
    vscode.workspace.onDidGrantWorkspaceTrust(() => targets.forEach(update)),
  ];
}
