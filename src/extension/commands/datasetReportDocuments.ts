// Read-only virtual documents that hold "Inspect dataset" reports, so the Markdown preview shows them without an
// unsaved untitled editor.
import * as vscode from 'vscode';

export const reportScheme = 'classifier-workbench-report';

export class DatasetReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly contents = new Map<string, string>();

  /** Stores the report for a dataset and returns the document URI to preview. */
  set(datasetPath: string, markdown: string): vscode.Uri {
    const name = datasetPath.split(/[\\/]/).pop() ?? 'dataset';
    const uri = vscode.Uri.from({ scheme: reportScheme, path: `/${name}.report.md`, query: datasetPath });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This report is no longer available. Run "Inspect dataset" again.';
  }

  dispose(): void {
    this.changed.dispose();
  }
}
