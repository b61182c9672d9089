// eval's refusals say what is wrong with the file given (issue 15, defect 5): a folder names the dataset files in
// it (not "a folder without a train.jsonl … or a folder holding one of those" about a folder that holds one), and a
// file whose fields are not the usual names says so, naming the fields found and --text-field/--label-field — not
// "no line has a label the model knows".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFile } from '../../../../src/engine/predict/evaluateFile';
import type { Predictor } from '../../../../src/engine/predict/predictor';
import { EngineError } from '../../../../src/engine/errors';

const predictor: Predictor = {
  labels: ['anger', 'joy'], kind: 'test', source: 'test', dispose: () => undefined,
  predictProbs: async (texts) => new Float32Array(texts.length * 2).fill(0.5),
};

async function refusal(file: string, options = {}): Promise<EngineError> {
  const error = await evaluateFile(predictor, file, options).then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(error instanceof EngineError);
  return error;
}

test('a folder: eval asks for a file and names the dataset files the folder holds', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-eval-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['train.jsonl', 'test.jsonl', 'notes.txt']) writeFileSync(join(dir, name), '{"text":"a","label":"joy"}\n');
  const error = await refusal(dir);
  assert.match(error.message, /this is a folder, not a file of labelled examples; it holds test\.jsonl, train\.jsonl: pass one of them, e\.g\. .*test\.jsonl$/);
  assert.doesNotMatch(error.message, /without a train\.jsonl/);
});

test('fields with other names: eval says the text or label field is missing, names the fields found and the flags', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-eval-fields-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'test_alt.jsonl');
  writeFileSync(file, '{"sentence":"i am mad","emotion":"anger"}\n{"sentence":"so happy","emotion":"joy"}\n');
  const error = await refusal(file);
  assert.match(error.message, /no line has a usable text and label: line 1: The label field "label" is missing\. The fields of line 1 are "sentence", "emotion": name the text and label fields with --text-field and --label-field/);
  assert.doesNotMatch(error.message, /label the model knows/);
  assert.match(error.editorMessage!, /"Classifier Workbench › Dataset: Text Field" and "Classifier Workbench › Dataset: Label Field" settings|Dataset: Text Field.*Dataset: Label Field/);
  // Named, the same file evaluates.
  const result = await evaluateFile(predictor, file, { textField: 'sentence', labelField: 'emotion' });
  assert.equal(result.metrics.examples, 2);
});
