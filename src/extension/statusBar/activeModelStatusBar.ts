// The status-bar item that names the active model (the one hover and label-issue diagnostics use); a click
// lets the user pick another. In Restricted Mode its tooltip says loading a model is off, and why.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { restrictedModeReason } from '../trust/workspaceTrust';

/** What the item shows; `ActiveModelState` (src/extension/activeModel) provides it. */
export interface ActiveModelText {
  statusText(): { text: string; tooltip: string };
  readonly onDidChange: vscode.Event<unknown>;
}

export class ActiveModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly model: ActiveModelText) {
    this.item = vscode.window.createStatusBarItem('classifierWorkbench.activeModel', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Classifier Workbench active model');
    this.item.command = commandIds.chooseActiveModel;
    this.subscriptions = [model.onDidChange(() => this.render()), vscode.workspace.onDidGrantWorkspaceTrust(() => this.render())];
    this.render();
  }

  private render(): void {
    const { text, tooltip } = this.model.statusText();
    this.item.text = text;
    this.item.tooltip = vscode.workspace.isTrusted
      ? `${tooltip}\n${vscode.l10n.t('Click to choose the active model.')}`
      : `${tooltip}\n${restrictedModeReason('loadModel')}`;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
