// Opens the JSONL line an example came from and selects its text, so "jump to the example" lands on the words.
import * as vscode from 'vscode';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { PredictionRecord } from './runFiles';
import { textRangeInLine } from './textRangeInLine';

/**
 * Shows the example's source file at its line with the text selected (the whole line when the text is not found).
 * @param datasetPath the run's dataset, against whose folder a relative `record.file` is resolved.
 * @throws Error when the record has no source position.
 */
export async function openExampleSource(record: PredictionRecord, datasetPath: string): Promise<void> {
  if (!record.file || !record.line) throw new Error('This example has no source file and line recorded.');
  const file = isAbsolute(record.file) ? record.file : resolve(datasetPath ? dirname(datasetPath) : '.', record.file);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const lineIndex = Math.min(record.line - 1, document.lineCount - 1);
  const line = document.lineAt(lineIndex);
  const found = textRangeInLine(line.text, record.text);
  const range = found
    ? new vscode.Range(lineIndex, found.start, lineIndex, found.end)
    : line.range;
  await vscode.window.showTextDocument(document, {
    selection: new vscode.Selection(range.start, range.end),
    preview: true,
    viewColumn: vscode.ViewColumn.One,
  });
}
