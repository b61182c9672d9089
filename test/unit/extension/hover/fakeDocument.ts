// Helpers for hover and code-action tests: a TextDocument over a string, and applying a recorded edit to text.
import * as vscode from 'vscode';
import { FakeTextDocument, Uri } from '../fakeVscode';

export function fakeDocument(text: string, path: string, languageId: string): vscode.TextDocument {
  return new FakeTextDocument(Uri.file(path), text, languageId) as unknown as vscode.TextDocument;
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
