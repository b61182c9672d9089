// A minimal TextDocument over a string for hover and code-action tests (the fake vscode has no documents).
import * as vscode from 'vscode';

export function fakeDocument(text: string, path: string, languageId: string): vscode.TextDocument {
  const lines = text.split('\n');
  const lineAt = (n: number) => ({
    text: lines[n],
    range: new vscode.Range(n, 0, n, lines[n].length),
    isEmptyOrWhitespace: lines[n].trim() === '',
  });
  const offset = (p: vscode.Position) => lines.slice(0, p.line).reduce((sum, l) => sum + l.length + 1, 0) + p.character;
  const document = {
    uri: vscode.Uri.file(path),
    languageId,
    lineCount: lines.length,
    lineAt: (n: number | vscode.Position) => lineAt(typeof n === 'number' ? n : n.line),
    getText: (range?: vscode.Range) => (range ? text.slice(offset(range.start), offset(range.end)) : text),
  };
  return document as unknown as vscode.TextDocument;
}

/** Applies the replacements a fake `WorkspaceEdit` recorded (single-line ranges, as the relabel fix makes). */
export function applyFakeEdit(text: string, edit: vscode.WorkspaceEdit): string {
  const lines = text.split('\n');
  for (const r of (edit as unknown as { replacements: { range: vscode.Range; newText: string }[] }).replacements) {
    const line = lines[r.range.start.line];
    lines[r.range.start.line] = line.slice(0, r.range.start.character) + r.newText + line.slice(r.range.end.character);
  }
  return lines.join('\n');
}
