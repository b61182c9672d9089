// The ONNX export computes the same logits as the engine, in ONNX Runtime (BERT and DistilBERT, padded batch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBertClassifier } from '../../../../../src/engine/models/bert/bertClassifier';
import { loadBertPredictor } from '../../../../../src/engine/models/bert/loadBertPredictor';
import { loadTokenizer } from '../../../../../src/engine/tokenizer/loadTokenizer';
import { tinyExamples, tinyTrainConfig, writeTinyBertFolder } from './tinyBertFolder';
import { needs, nodePackage } from '../../../../helpers/requirements';

interface Ort {
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(path: string): Promise<{ inputNames: string[]; run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array }>> }> };
}

test('exported ONNX graph gives the engine\'s logits in ONNX Runtime', needs(nodePackage('onnxruntime-node')), async () => {
  const ort = require('onnxruntime-node') as Ort;
  for (const arch of ['bert', 'distilbert'] as const) {
    const dir = await writeTinyBertFolder(arch, { layers: 2 });
    const c = await createBertClassifier(tinyTrainConfig(dir, { epochs: 1 }), ['neg', 'pos']);
    const { stepsPerEpoch } = await c.beginTraining(tinyExamples(64), { epochs: 1, seed: 5 });
    for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(0, s);
    const out = mkdtempSync(join(tmpdir(), 'onnx-'));
    await c.exportModel(out);
    const file = await c.exportOnnx(out);
    c.dispose();
    const texts = tinyExamples(6, 9).map((e) => e.text);
    const predictor = await loadBertPredictor(out, { backend: 'wasm' });
    const ours = await predictor.predictLogits(texts);
    predictor.dispose();
    const batch = (await loadTokenizer(out)).encodeBatch(texts, { maxLength: 32 });
    const int64 = (a: Int32Array): unknown => new ort.Tensor('int64', BigInt64Array.from(Array.from(a, BigInt)), [batch.batchSize, batch.seqLen]);
    const session = await ort.InferenceSession.create(file);
    const feeds: Record<string, unknown> = { input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask) };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = int64(batch.tokenTypeIds);
    const logits = (await session.run(feeds)).logits.data;
    assert.equal(ours.length, texts.length * 2, 'two logits per text');
    assert.equal(logits.length, ours.length);
    for (let i = 0; i < logits.length; i++) assert.ok(Math.abs(logits[i] - ours[i]) < 1e-4, `${arch} logit ${i}: onnx ${logits[i]} vs engine ${ours[i]}`);
  }
});
