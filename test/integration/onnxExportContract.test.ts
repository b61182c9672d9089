// What docs/onnx-export.md tells a user who runs onnx/model.onnx elsewhere, checked against our own predictor on the
// same exported folder: the graph outputs logits; softmax(logits / T) with config.json's
// classifier_workbench.calibration temperature (one T, or per label: softmax(log_softmax(logits) / T_label)) gives
// Classifier Workbench's single-label probabilities, and sigmoid(logits) its multi-label ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { exportRun } from '../../src/engine/runs/exportRun';
import { loadPredictor } from '../../src/engine/predict/loadPredictor';
import { loadTokenizer } from '../../src/engine/tokenizer/loadTokenizer';
import { writeTinyBertFolder } from '../unit/engine/models/bert/tinyBertFolder';
import { writeTinyDataset } from './trainFixture';
import { needs, nodePackage } from '../helpers/requirements';
import { onnxLogits } from '../helpers/onnxRuntime';

const texts = ['my card was charged twice', 'the parcel', 'please help, my password is locked again today'];

function logSoftmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0));
  return row.map((z) => z - lse);
}
const softmax = (row: readonly number[]): number[] => logSoftmax(row).map(Math.exp);

async function exportedLogits(out: string, k: number): Promise<number[][]> {
  const batch = (await loadTokenizer(out)).encodeBatch(texts, { maxLength: 128 });
  const flat = await onnxLogits(join(out, 'onnx', 'model.onnx'), batch);
  return texts.map((_, i) => Array.from(flat.slice(i * k, (i + 1) * k)));
}

async function predictorProbs(out: string, k: number): Promise<number[][]> {
  const predictor = await loadPredictor(out);
  const flat = await predictor.predictProbs(texts);
  predictor.dispose();
  return texts.map((_, i) => Array.from(flat.slice(i * k, (i + 1) * k)));
}

function assertClose(actual: number[][], expected: number[][], what: string): void {
  actual.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i]![j]!) < 1e-5, `${what} [${i}][${j}]: ${v} vs ${expected[i]![j]}`)));
}

test('single-label: softmax(logits / T) of the ONNX graph, T from config.json (one, or per label), is what Classifier Workbench predicts from the folder', needs(nodePackage('onnxruntime-node')), async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 1 });
  const { dir, train } = await writeTinyDataset(8);
  try {
    const run = await trainRun({ dataset: train, model: modelDir, epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
    const out = join(dir, 'exported');
    await exportRun(run.runDir, out, { onnx: {} });
    const configFile = join(out, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { id2label: Record<string, string>; problem_type: string; classifier_workbench?: Record<string, unknown> };
    assert.equal(config.problem_type, 'single_label_classification');
    const labels = Object.keys(config.id2label).map((i) => config.id2label[i]!);
    const logits = await exportedLogits(out, labels.length);

    // Whatever the tiny run fitted, a user's folder may hold any temperature: set one, then per label.
    const calibration = { method: 'temperature', fittedOn: 'validation', nllBefore: 1, nllAfter: 0.9 };
    writeFileSync(configFile, JSON.stringify({ ...config, classifier_workbench: { calibration: { ...calibration, temperature: 0.37 } } }));
    assertClose(await predictorProbs(out, labels.length), logits.map((row) => softmax(row.map((z) => z / 0.37))), 'one T');

    const perLabel = labels.map((_, c) => 0.4 + 0.5 * c);
    writeFileSync(configFile, JSON.stringify({ ...config, classifier_workbench: { calibration: { ...calibration, temperature: 1, perClass: Object.fromEntries(labels.map((l, c) => [l, perLabel[c]])) } } }));
    assertClose(await predictorProbs(out, labels.length), logits.map((row) => softmax(logSoftmax(row).map((v, c) => v / perLabel[c]!))), 'T per label');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  }
});

test('multi-label: sigmoid(logits) of the ONNX graph is what Classifier Workbench predicts from the folder, and config.json says multi_label_classification', needs(nodePackage('onnxruntime-node')), async () => {
  const modelDir = await writeTinyBertFolder('bert', { layers: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'onnx-multi-'));
  try {
    const sets = [['billing'], ['shipping'], ['billing', 'account'], ['account'], ['shipping', 'billing'], []];
    const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `ticket ${i} about ${sets[i % sets.length]!.join(' and ') || 'nothing'}`, labels: sets[i % sets.length] })).join('\n') + '\n';
    await writeFile(join(dir, 'train.jsonl'), lines(24));
    await writeFile(join(dir, 'validation.jsonl'), lines(12));
    await writeFile(join(dir, 'test.jsonl'), lines(12));
    const run = await trainRun({ dataset: join(dir, 'train.jsonl'), model: modelDir, epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1 });
    const out = join(dir, 'exported');
    await exportRun(run.runDir, out, { onnx: {} });
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { id2label: Record<string, string>; problem_type: string };
    assert.equal(config.problem_type, 'multi_label_classification');
    const k = Object.keys(config.id2label).length;
    assert.equal(k, 3);
    const logits = await exportedLogits(out, k);
    assertClose(await predictorProbs(out, k), logits.map((row) => row.map((z) => 1 / (1 + Math.exp(-z)))), 'sigmoid');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  }
});
