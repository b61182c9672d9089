// The status-bar item that names the active model (the one hover and label-issue diagnostics use); a click
// lets the user pick another.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';

/** What the item shows; `ActiveModelState` (src/extension/activeModel) provides it. */
export interface ActiveModelText {
  statusText(): { text: string; tooltip: string };
  readonly onDidChange: vscode.Event<unknown>;
}

export class ActiveModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: ActiveModelText) {
    this.item = vscode.window.createStatusBarItem('classifierWorkbench.activeModel', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Classifier Workbench active model';
    this.item.command = commandIds.chooseActiveModel;
    this.subscription = model.onDidChange(() => this.render());
    this.render();
  }

  private render(): void {
    const { text, tooltip } = this.model.statusText();
    this.item.text = text;
    this.item.tooltip = `${tooltip}\nClick to choose the active model.`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
