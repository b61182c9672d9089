// The hover on a CSV/TSV file predicts the record under the mouse, whichever of its lines is hovered.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findHoverTarget } from '../../../../src/extension/hover/hoverTarget';
import { fakeDocument } from './fakeDocument';

const csv = 'id,text,label\n1,"first, with a comma",joy\n2,"spans\nthree\nlines",anger\n3,last,fear\n';

test('every line of a multi-line CSV record hovers that record; the header hovers nothing', () => {
  const document = fakeDocument(csv, '/w/data.csv', 'csv');
  const at = (line: number) => findHoverTarget(document, new vscode.Position(line, 1));
  assert.equal(at(0), undefined, 'header');
  assert.deepEqual([at(1)?.text, at(1)?.givenLabel, at(1)?.line], ['first, with a comma', 'joy', 2]);
  for (const line of [2, 3, 4]) {
    const target = at(line);
    assert.deepEqual([target?.text, target?.givenLabel, target?.line], ['spans\nthree\nlines', 'anger', 3], `line ${line}`);
    assert.deepEqual([target!.range.start.line, target!.range.end.line], [2, 4]);
  }
  assert.deepEqual([at(5)?.text, at(5)?.line], ['last', 6]);
  const tsv = fakeDocument('sentence\tcategory\n"tab\there"\tx\n', '/w/data.tsv', 'plaintext');
  assert.deepEqual([findHoverTarget(tsv, new vscode.Position(1, 0))?.text, findHoverTarget(tsv, new vscode.Position(1, 0))?.givenLabel], ['tab\there', 'x']);
});

test('a ;-separated CSV hovers its text cell, read with the delimiter the engine guesses', () => {
  const document = fakeDocument('text;label\n"great, really";joy\nawful;anger\n', '/w/semicolon.csv', 'csv');
  const at = (line: number) => findHoverTarget(document, new vscode.Position(line, 1));
  assert.deepEqual([at(1)?.text, at(1)?.givenLabel], ['great, really', 'joy']);
  assert.deepEqual([at(2)?.text, at(2)?.givenLabel], ['awful', 'anger']);
});
