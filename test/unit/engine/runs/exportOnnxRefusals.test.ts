// What ONNX export refuses, and how it says so: a family with no ONNX graph yet names itself and the way out on
// each surface; a quantisation other than int8 is named; describeExport names the ONNX files and what loads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportClassifierOnnx, exportRun } from '../../../../src/engine/runs/exportRun';
import type { TrainableClassifier } from '../../../../src/engine/classifier/trainableClassifier';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';
import { describeExport } from '../../../../src/common/describeExport';
import type { OnnxExportOptions } from '../../../../src/protocol/model';

/** A classifier as far as export sees it: its description, and `exportOnnx` when given. */
function fakeClassifier(kind: string, exportOnnx?: TrainableClassifier['exportOnnx']): TrainableClassifier {
  const unused = (): never => assert.fail('not used by export');
  return {
    labels: ['a', 'b'], describe: () => ({ kind, source: 'x', mode: 'full', parameters: 1, trainableParameters: 1, backend: 'wasm' }),
    beginTraining: unused, trainStep: unused, predictProbs: unused, saveCheckpoint: unused, loadCheckpoint: unused, exportModel: unused, dispose: () => undefined,
    ...(exportOnnx ? { exportOnnx } : {}),
  };
}

test('a family without an ONNX graph is refused by name, pointing at the export without ONNX (CLI flag / VS Code choice)', async () => {
  const error = await exportClassifierOnnx(fakeClassifier('modernbert'), '/nonexistent', {}).then(() => assert.fail('refused'), (e: unknown) => e);
  assert.ok(error instanceof EngineError);
  assert.equal(error.code, EngineErrorCodes.invalidOption);
  assert.match(error.message, /ONNX export of modernbert models is not available yet.*export without --onnx/);
  assert.match(error.editorMessage!, /choose "Hugging Face folder"/);
  assert.doesNotMatch(error.editorMessage!, /--onnx/);
});

test('a family with exportOnnx gets the options as given', async () => {
  const seen: (OnnxExportOptions | undefined)[] = [];
  const files = await exportClassifierOnnx(fakeClassifier('bert', async (dir, options) => { seen.push(options); return [`${dir}/onnx/model.onnx`]; }), '/out', { quantize: 'int8' });
  assert.deepEqual(seen, [{ quantize: 'int8' }]);
  assert.deepEqual(files, ['/out/onnx/model.onnx']);
});

test('an unknown quantisation is refused before the run is touched, naming the one offered', async () => {
  await assert.rejects(exportRun('/nonexistent-run', undefined, { onnx: { quantize: 'int4' as 'int8' } }), (e: unknown) => e instanceof EngineError && /unknown ONNX quantisation "int4": "int8" is the one offered/.test(e.message));
});

test('describeExport names the ONNX files, their precision and what loads them (transformers.js only with a tokenizer.json); none when there are none', () => {
  const base = { outDir: '/x/model', format: 'transformers' as const };
  const plain = describeExport({ ...base, files: ['config.json', 'model.safetensors', 'vocab.txt'] }, 'r1');
  assert.doesNotMatch(plain, /ONNX/);
  const both = describeExport({ ...base, files: ['config.json', 'model.safetensors', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json'] }, 'r1');
  assert.match(both, /ONNX: onnx\/model\.onnx \(float32\) and onnx\/model_quantized\.onnx \(int8\), for ONNX Runtime, transformers\.js \(dtype "q8" picks the int8 file\) and Optimum's ORTModelForSequenceClassification\.from_pretrained\(folder, subfolder="onnx"/);
  // transformers.js reads tokenizer.json only (checked by hand with @huggingface/transformers 3 on a vocab.txt-only BERT export).
  const vocabOnly = describeExport({ ...base, files: ['config.json', 'onnx/model.onnx', 'vocab.txt'] });
  assert.match(vocabOnly, /ONNX: onnx\/model\.onnx \(float32\), for ONNX Runtime and Optimum's .*; transformers\.js also needs a tokenizer\.json, which this folder lacks/);
});

test('describeExport of an n-gram model: the CLI names --model, VS Code "Set active model" and no flag', () => {
  const ngram = { outDir: '/x/model', format: 'ngram' as const, files: ['ngram.json', 'ngram.safetensors'] };
  assert.match(describeExport(ngram, 'r1'), /loads it \(--model <folder>, or Set active model in VS Code\)/);
  const editor = describeExport(ngram, 'r1', 'vscode');
  assert.match(editor, /loads it \(Set active model\); Python transformers cannot/);
  assert.doesNotMatch(editor, /--[a-z]/);
});
