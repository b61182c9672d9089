// Decides what text a hover is about: the example of a JSONL line, the selection under the mouse, or the
// paragraph around it in other configured languages.
import * as vscode from 'vscode';
import { readJsonlExample } from './jsonlExample';

export interface HoverTarget {
  text: string;
  /** The given label (JSONL lines only). */
  givenLabel?: string;
  /** The given labels of a multi-label JSONL line. */
  givenLabels?: string[];
  range: vscode.Range;
}

/** Hovering a long paragraph should not send a book to the model; transformers truncate anyway. */
const maxTextChars = 4000;
/** Lines above and below the hovered one that a paragraph may span. */
const maxParagraphLines = 20;

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
    return { text: example.text, givenLabel: example.label, ...(example.labels ? { givenLabels: example.labels } : {}), range: line.range };
  }
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
