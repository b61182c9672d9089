// `classifier-workbench export RUN --onnx [--quantize int8]` end to end on tiny runs: a LoRA BERT run exports its HF
// folder with onnx/model.onnx and onnx/model_quantized.onnx (listed in --json, read back from disk and run in ONNX
// Runtime: float32 logits equal the exported folder's, merged adapters included); the flags' misuse is a usage
// error; an n-gram run is refused with what to do, and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { exportRun } from '../../src/engine/runs/exportRun';
import { EngineError } from '../../src/engine/errors';
import { loadBertPredictor } from '../../src/engine/models/bert/loadBertPredictor';
import { loadTokenizer } from '../../src/engine/tokenizer/loadTokenizer';
import type { ModelExportResult } from '../../src/protocol/model';
import { writeTinyBertFolder } from '../unit/engine/models/bert/tinyBertFolder';
import { writeTinyDataset } from './trainFixture';
import { runCliCapture } from '../helpers/runCliCapture';
import { needs, nodePackage } from '../helpers/requirements';
import { onnxLogits } from '../helpers/onnxRuntime';

test('export --onnx --quantize int8 of a LoRA run writes both ONNX files into the HF folder; ONNX Runtime gives its logits', needs(nodePackage('onnxruntime-node')), async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 2 });
  const { dir, train } = await writeTinyDataset(12);
  try {
    const run = await trainRun({ dataset: train, model: modelDir, mode: 'lora', epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
    assert.equal(run.state, 'completed');
    const out = join(dir, 'exported');

    const exported = await runCliCapture(['export', run.runDir, '--onnx', '--quantize', 'int8', '--out', out, '--json'], dir);
    assert.equal(exported.code, 0, exported.stderr);
    const result = JSON.parse(exported.stdout) as ModelExportResult;
    assert.equal(result.outDir, out);
    assert.equal(result.format, 'transformers');
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) assert.ok(result.files.includes(f), `--json lists ${f}: ${result.files.join(', ')}`);
    for (const f of result.files) assert.ok(existsSync(join(out, f)), `${f} is on disk`);
    assert.ok(statSync(join(out, 'onnx', 'model_quantized.onnx')).size < statSync(join(out, 'onnx', 'model.onnx')).size);

    // The float32 graph computes what the exported (merged) folder computes, on a padded batch.
    const texts = ['my card was charged twice', 'the parcel', 'please help, my password is locked again today'];
    const predictor = await loadBertPredictor(out, { backend: 'wasm' });
    const ours = await predictor.predictLogits(texts);
    predictor.dispose();
    const batch = (await loadTokenizer(out)).encodeBatch(texts, { maxLength: 32 });
    const logits = await onnxLogits(join(out, 'onnx', 'model.onnx'), batch);
    assert.equal(logits.length, texts.length * 3);
    logits.forEach((v, i) => assert.ok(Math.abs(v - ours[i]!) < 1e-4, `logit ${i}: onnx ${v} vs engine ${ours[i]}`));
    assert.equal((await onnxLogits(join(out, 'onnx', 'model_quantized.onnx'), batch)).length, texts.length * 3);

    // Again into the same folder (an earlier export), float32 only, worded for a person.
    const again = await runCliCapture(['export', run.runDir, '--onnx', '--out', out], dir);
    assert.equal(again.code, 0, again.stderr);
    // The tiny folder ships vocab.txt only: the ONNX export adds the tokenizer.json transformers.js needs, and says so.
    assert.match(again.stdout, /ONNX: onnx\/model\.onnx \(float32\), for ONNX Runtime, transformers\.js and Optimum's ORTModelForSequenceClassification/);
    assert.ok(existsSync(join(out, 'tokenizer.json')));
    assert.ok(!existsSync(join(out, 'onnx', 'model_quantized.onnx')), 'the folder was replaced, not merged');

    const noOnnx = await runCliCapture(['export', run.runDir, '--quantize', 'int8', '--out', out], dir);
    assert.equal(noOnnx.code, 64);
    assert.match(noOnnx.stderr, /--quantize int8 quantises the ONNX model: add --onnx/);
    const badKind = await runCliCapture(['export', run.runDir, '--onnx', '--quantize', 'int4', '--out', out], dir);
    assert.equal(badKind.code, 64);
    assert.match(badKind.stderr, /--quantize takes int8/);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  }
});

test('export --onnx of an n-gram run is refused before anything is written, saying ONNX is for transformer models and what to do', async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const run = await trainRun({ dataset: train, model: 'ngram', epochs: 1, batchSize: 4, learningRate: 1 });
    const out = join(dir, 'exported');
    const refused = await runCliCapture(['export', run.runDir, '--onnx', '--out', out], dir);
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /ONNX export is for transformer models: run \S+ trained the built-in n-gram model, which has no ONNX graph\. Export without --onnx .*fine-tune a transformer model/);
    assert.ok(!existsSync(out), 'nothing was written');
    // The editor's wording (model/export from another client): Export of an n-gram run offers no format to choose.
    await assert.rejects(exportRun(run.runDir, out, { onnx: {} }), (e: EngineError) => {
      const editor = e.data.editorDetail ?? '';
      assert.match(editor, /no ONNX graph\. Export model writes it \(the n-gram format, which Classifier Workbench loads\)/);
      assert.doesNotMatch(editor, /Hugging Face folder|--onnx/);
      return true;
    });
    assert.ok(!existsSync(out), 'nothing was written');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const electraFixture = join(__dirname, '..', 'fixtures', 'families', 'electra-tiny-random');

test('export of a run on a model with vocab.txt only (ELECTRA) writes tokenizer.json, with or without --onnx, which tokenises as the folder\'s vocab.txt', needs(nodePackage('onnxruntime-node')), async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const run = await trainRun({ dataset: train, model: electraFixture, mode: 'feature-extraction', epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
    assert.equal(run.state, 'completed');
    const plain = join(dir, 'plain');
    const hf = await runCliCapture(['export', run.runDir, '--out', plain, '--json'], dir);
    assert.equal(hf.code, 0, hf.stderr);
    // transformers.js reads tokenizer.json only: every export writes it, so the folder is the same with or without --onnx.
    assert.ok((JSON.parse(hf.stdout) as ModelExportResult).files.includes('tokenizer.json'), 'the Hugging Face folder has tokenizer.json too');

    const out = join(dir, 'exported');
    const exported = await runCliCapture(['export', run.runDir, '--onnx', '--out', out, '--json'], dir);
    assert.equal(exported.code, 0, exported.stderr);
    const result = JSON.parse(exported.stdout) as ModelExportResult;
    for (const f of ['tokenizer.json', 'vocab.txt', 'onnx/model.onnx']) assert.ok(result.files.includes(f) && existsSync(join(out, f)), `${f} written and listed: ${result.files.join(', ')}`);
    // @huggingface/tokenizers is what transformers.js tokenises with.
    const library = await loadTokenizer(out, { source: 'tokenizer.json', implementation: 'library' });
    const slow = await loadTokenizer(out, { source: 'vocab.txt' });
    const texts = ['My card was charged TWICE', 'the parcel [MASK] arrived', 'héllo naïve café 日本'];
    for (const t of texts) assert.deepEqual(library.encode(t, 32), slow.encode(t, 32), t);
    const logits = await onnxLogits(join(out, 'onnx', 'model.onnx'), library.encodeBatch(texts, { maxLength: 32 }));
    assert.equal(logits.length, texts.length * 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('export --help names --onnx and --quantize int8 and the files they write', async () => {
  const help = await runCliCapture(['export', '--help'], process.cwd());
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /--onnx +Also write onnx\/model\.onnx/);
  assert.match(help.stdout, /--quantize int8 +With --onnx: also onnx\/model_quantized\.onnx/);
});

test('export --onnx and predict of a run whose base model folder is gone say which folder the run needs and what to do, and write nothing', async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 1 });
  const { dir, train } = await writeTinyDataset(6);
  try {
    const run = await trainRun({ dataset: train, model: modelDir, epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
    assert.equal(run.state, 'completed');
    await rm(modelDir, { recursive: true, force: true });
    const out = join(dir, 'exported');
    const refused = await runCliCapture(['export', run.runDir, '--onnx', '--out', out], dir);
    assert.equal(refused.code, 2, refused.stdout);
    const said = /the run was fine-tuned from the model folder \S+, which is not there any more: the run holds its trained weights, but its config\.json and tokenizer files are read from that folder\. Put the model folder back at that path/;
    assert.match(refused.stderr, said);
    assert.ok(refused.stderr.includes(modelDir), refused.stderr);
    assert.ok(!existsSync(out), 'nothing was written');
    const predicted = await runCliCapture(['predict', '--model', run.runDir, 'my parcel'], dir);
    assert.equal(predicted.code, 2, predicted.stdout);
    assert.match(predicted.stderr, said);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  }
});

test('an export of a model whose folder is read-only (a shared mount) gives the user tokenizer files they can edit', async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 1 });
  const { dir, train } = await writeTinyDataset(6);
  try {
    const tokenizerFiles = readdirSync(modelDir).filter((f) => f !== 'config.json' && f !== 'model.safetensors');
    assert.ok(tokenizerFiles.length > 0, 'the tiny folder has tokenizer files');
    for (const f of tokenizerFiles) chmodSync(join(modelDir, f), 0o444);
    const run = await trainRun({ dataset: train, model: modelDir, epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
    const out = join(dir, 'exported');
    const exported = await runCliCapture(['export', run.runDir, '--onnx', '--out', out], dir);
    assert.equal(exported.code, 0, exported.stderr);
    for (const f of tokenizerFiles) assert.ok(statSync(join(out, f)).mode & 0o200, `${f} is writable by its owner (mode ${(statSync(join(out, f)).mode & 0o777).toString(8)})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  }
});
