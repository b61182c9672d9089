// Decides what text a hover is about: the example of a JSONL line or a CSV/TSV record, the selection under the mouse, or the
// paragraph around it in other configured languages.
import * as vscode from 'vscode';
import { readJsonlExample } from './jsonlExample';
import { datasetFormatOf, isDelimitedText } from '../../common/datasetFormat';
import { documentDelimiter } from '../tabular/documentDelimiter';
import { csvRecordStarts, maxRecordLines } from '../tabular/csvRecord';
import { locateExample } from '../tabular/datasetExample';

export interface HoverTarget {
  text: string;
  /** The given label (JSONL lines only). */
  givenLabel?: string;
  /** The given labels of a multi-label JSONL line. */
  givenLabels?: string[];
  range: vscode.Range;
  /** Dataset files: the 1-based line the example starts on (a CSV record may span lines), for its label-issue notes. */
  line?: number;
}

/** Hovering a long paragraph should not send a book to the model; transformers truncate anyway. */
const maxTextChars = 4000;
/** Lines above and below the hovered one that a paragraph may span. */
const maxParagraphLines = 20;

/** True for `.csv` and `.tsv` documents: each record below the header is an example. */
export function isDelimitedDocument(document: vscode.TextDocument): boolean {
  const format = datasetFormatOf(document.uri.fsPath);
  return format !== undefined && isDelimitedText(format);
}

/** True for `.jsonl` documents whatever language mode VS Code picked for them. */
export function isJsonlDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'jsonl' || /\.jsonl$/i.test(document.uri.fsPath);
}

/**
 * The hover's subject at `position`, or undefined when there is nothing to predict.
 * @param selection the active editor's selection in this document, if any.
 */
export function findHoverTarget(document: vscode.TextDocument, position: vscode.Position, selection?: vscode.Selection): HoverTarget | undefined {
  if (isJsonlDocument(document)) {
    const line = document.lineAt(position.line);
    const example = readJsonlExample(line.text);
    if (!example) return undefined;
    return { text: example.text, givenLabel: example.label, ...(example.labels ? { givenLabels: example.labels } : {}), range: line.range, line: position.line + 1 };
  }
  if (isDelimitedDocument(document)) return csvRecordAt(document, position);
  if (selection && !selection.isEmpty && selection.contains(position)) {
    const text = document.getText(selection).trim();
    return text ? { text: text.slice(0, maxTextChars), range: selection } : undefined;
  }
  return paragraphAt(document, position);
}

function paragraphAt(document: vscode.TextDocument, position: vscode.Position): HoverTarget | undefined {
  const blank = (n: number) => document.lineAt(n).isEmptyOrWhitespace;
  if (blank(position.line)) return undefined;
  let first = position.line;
  let last = position.line;
  // A file with no blank lines is one huge "paragraph": stop a few lines out so a hover stays O(1).
  while (first > 0 && position.line - first < maxParagraphLines && !blank(first - 1)) first--;
  while (last < document.lineCount - 1 && last - position.line < maxParagraphLines && !blank(last + 1)) last++;
  const range = new vscode.Range(first, 0, last, document.lineAt(last).text.length);
  const text = document.getText(range).replace(/\s+/g, ' ').trim();
  return { text: text.slice(0, maxTextChars), range };
}

/**
 * The CSV/TSV record under `position` (not the header). Records may span lines, so where each starts is parsed
 * from the top of the document down to the hovered line.
 */
function csvRecordAt(document: vscode.TextDocument, position: vscode.Position): HoverTarget | undefined {
  const delimiter = documentDelimiter(document, datasetFormatOf(document.uri.fsPath) as 'csv' | 'tsv');
  const lastLine = Math.min(document.lineCount - 1, position.line + maxRecordLines);
  const head = document.getText(new vscode.Range(0, 0, lastLine, document.lineAt(lastLine).text.length));
  const starts = csvRecordStarts(head, delimiter);
  let start: number | undefined;
  let next: number | undefined;
  for (let i = 0; i < starts.length; i++) {
    if (starts[i]! <= position.line + 1) {
      start = starts[i];
      next = starts[i + 1];
    }
  }
  if (start === undefined || start === 1) return undefined;
  // The record's last line (0-based): the line before the next record's, or the document's last non-empty line.
  let endLine = (next ?? document.lineCount + 1) - 2;
  while (next === undefined && endLine > start - 1 && document.lineAt(endLine).isEmptyOrWhitespace) endLine--;
  if (endLine < position.line) return undefined;
  const lines = head.split(/\r\n|\n|\r/);
  const example = locateExample(document.uri.fsPath, lines, start, {}, delimiter);
  if (!example) return undefined;
  const end = endLine;
  return {
    text: example.text, givenLabel: example.label, ...(example.labels ? { givenLabels: example.labels } : {}),
    range: new vscode.Range(start - 1, 0, end, document.lineAt(end).text.length), line: start,
  };
}
