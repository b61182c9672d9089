// int8 ONNX for the families whose float32 graphs are tested in their own files (debertaOnnx.test.ts,
// modernbertExportOnnx.test.ts): through the TrainableClassifier seam exportRun uses, a trained DeBERTa-v3 and
// ModernBERT classifier's model_quantized.onnx runs in ONNX Runtime, is smaller, and stays within 5 % of the
// float32 logit scale with the same argmax (the tolerance is argued in models/bert/exportOnnx.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClassifier } from '../../../../src/engine/classifier/createClassifier';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { tinyExamples, tinyTrainConfig } from './bert/tinyBertFolder';
import { needs, nodePackage } from '../../../helpers/requirements';
import { onnxLogits } from '../../../helpers/onnxRuntime';

const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'families');
const argmax = (row: ArrayLike<number>): number => Array.from(row).reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);

for (const family of ['deberta-v3', 'modernbert']) {
  test(`${family}: model_quantized.onnx runs, is smaller, and stays close to model.onnx with the same argmax`, needs(nodePackage('onnxruntime-node')), async () => {
    const dir = join(fixtures, `${family}-tiny-random`);
    const c = await createClassifier(tinyTrainConfig(dir, { epochs: 1 }), ['neg', 'pos']);
    const { stepsPerEpoch } = await c.beginTraining(tinyExamples(64), { epochs: 1, seed: 5 });
    for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(0, s);
    const out = mkdtempSync(join(tmpdir(), `onnx-int8-${family}-`));
    assert.ok(c.exportOnnx, `${family} has an ONNX graph`);
    const [fp32File, int8File] = await c.exportOnnx(out, { quantize: 'int8' });
    c.dispose();
    assert.ok(statSync(int8File!).size < statSync(fp32File!).size);
    const texts = tinyExamples(16, 9).map((e) => e.text);
    const batch = (await loadTokenizer(dir)).encodeBatch(texts, { maxLength: 32 });
    const fp32 = await onnxLogits(fp32File!, batch);
    const int8 = await onnxLogits(int8File!, batch);
    const tolerance = 0.05 * Math.max(...Array.from(fp32, Math.abs));
    int8.forEach((v, i) => assert.ok(Math.abs(v - fp32[i]!) <= tolerance, `${family} int8 logit ${i}: ${v} vs float32 ${fp32[i]} (tolerance ${tolerance})`));
    for (let r = 0; r < texts.length; r++) {
      const row = fp32.subarray(2 * r, 2 * r + 2);
      assert.ok(Math.abs(row[0]! - row[1]!) > 2 * tolerance, `${family} text ${r}: float32 margin too small to compare argmax`);
      assert.equal(argmax(int8.subarray(2 * r, 2 * r + 2)), argmax(row), `${family} text ${r}: int8 and float32 disagree`);
    }
  });
}
