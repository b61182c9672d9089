// The cell delimiter of an open CSV/TSV document, guessed from its first lines as the engine guesses the file's
// (a `;` CSV trains, so the hover, the relabel quick fix and the Datasets view must read it with `;` too).
import type * as vscode from 'vscode';
import { delimiterOfLines, delimiterSampleLines } from '../../common/datasetFormat';

/** `;`, `,`, tab or `|` for a CSV document (`sniffDelimiter` over its first lines); a tab for TSV. */
export function documentDelimiter(document: vscode.TextDocument, format: 'csv' | 'tsv'): string {
  const lines = Array.from({ length: Math.min(document.lineCount, delimiterSampleLines) }, (_, i) => document.lineAt(i).text);
  return delimiterOfLines(format, lines, document.lineCount <= delimiterSampleLines);
}
