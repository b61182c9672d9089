// The ONNX export computes the engine's logits in ONNX Runtime, for BERT, DistilBERT, RoBERTa and ELECTRA (padded
// batch, 1e-4), and its int8 twin (`model_quantized.onnx`) runs, is about a quarter of the float32 file and stays
// close to float32 with the same argmax. LoRA is exported merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createBertClassifier } from '../../../../../src/engine/models/bert/bertClassifier';
import { loadBertPredictor } from '../../../../../src/engine/models/bert/loadBertPredictor';
import { loadTokenizer } from '../../../../../src/engine/tokenizer/loadTokenizer';
import { tinyExamples, tinyTrainConfig, writeTinyBertFolder } from './tinyBertFolder';
import { needs, nodePackage } from '../../../../helpers/requirements';
import { onnxLogits } from '../../../../helpers/onnxRuntime';

const fixtures = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families');
const requirement = needs(nodePackage('onnxruntime-node'));

/** Each family's tiny folder: BERT/DistilBERT written in code, RoBERTa (byte-level BPE) and ELECTRA (embedding projection) fixtures. */
const families: { family: string; folder: () => Promise<string> }[] = [
  { family: 'bert', folder: () => writeTinyBertFolder('bert', { layers: 2 }) },
  { family: 'distilbert', folder: () => writeTinyBertFolder('distilbert', { layers: 2 }) },
  { family: 'roberta', folder: async () => join(fixtures, 'roberta-tiny-random') },
  { family: 'electra', folder: async () => join(fixtures, 'electra-tiny-random') },
];

/**
 * int8 tolerance: |int8 − float32| ≤ 5 % of the batch's largest |float32 logit|. Why: symmetric per-tensor int8
 * rounds each weight by at most max|w|/254 (0.4 % of the tensor's range) and uint8 activations by 1/510 of theirs;
 * about 13 quantised products (6 per layer, 2 layers, the head) add such errors mostly independently, which lands at
 * ~1 % of the logit scale (measured here: 0.8–1.1 %). 5 % leaves room for other seeds; a broken pass (a wrong scale
 * or zero point, a transposed weight) is off by tens of percent or more.
 */
const INT8_RELATIVE_TOLERANCE = 0.05;

const argmax = (row: ArrayLike<number>): number => Array.from(row).reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);

for (const { family, folder } of families) {
  test(`${family}: onnx/model.onnx gives the engine's logits (1e-4, padded batch); model_quantized.onnx runs, ~1/4 the size, close with the same argmax`, requirement, async () => {
    const dir = await folder();
    const c = await createBertClassifier(tinyTrainConfig(dir, { epochs: 1 }), ['neg', 'pos']);
    const { stepsPerEpoch } = await c.beginTraining(tinyExamples(64), { epochs: 1, seed: 5 });
    for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(0, s);
    const out = mkdtempSync(join(tmpdir(), `onnx-${family}-`));
    await c.exportModel(out);
    const files = await c.exportOnnx(out, { quantize: 'int8' });
    c.dispose();
    assert.deepEqual(files, [join(out, 'onnx', 'model.onnx'), join(out, 'onnx', 'model_quantized.onnx')]);

    const texts = tinyExamples(16, 9).map((e) => e.text);
    const predictor = await loadBertPredictor(out, { backend: 'wasm' });
    const ours = await predictor.predictLogits(texts);
    predictor.dispose();
    const batch = (await loadTokenizer(out)).encodeBatch(texts, { maxLength: 32 });
    assert.ok(batch.attentionMask.some((m) => m === 0), 'the batch is padded');
    const fp32 = await onnxLogits(files[0]!, batch);
    const int8 = await onnxLogits(files[1]!, batch);
    assert.equal(fp32.length, texts.length * 2, 'two logits per text');
    fp32.forEach((v, i) => assert.ok(Math.abs(v - ours[i]!) < 1e-4, `${family} logit ${i}: onnx ${v} vs engine ${ours[i]}`));

    const scale = Math.max(...Array.from(fp32, Math.abs));
    const tolerance = INT8_RELATIVE_TOLERANCE * scale;
    int8.forEach((v, i) => assert.ok(Math.abs(v - fp32[i]!) <= tolerance, `${family} int8 logit ${i}: ${v} vs float32 ${fp32[i]} (tolerance ${tolerance})`));
    for (let r = 0; r < texts.length; r++) {
      const row = fp32.subarray(2 * r, 2 * r + 2);
      // The argmax check means something only where the float32 margin exceeds what int8 may move (2 × tolerance).
      assert.ok(Math.abs(row[0]! - row[1]!) > 2 * tolerance, `${family} text ${r}: float32 margin ${Math.abs(row[0]! - row[1]!)} too small to compare argmax`);
      assert.equal(argmax(int8.subarray(2 * r, 2 * r + 2)), argmax(row), `${family} text ${r}: int8 and float32 disagree`);
    }
    // Tiny models are mostly graph structure; the size ratio is checked on a wider one below.
    assert.ok(statSync(files[1]!).size < statSync(files[0]!).size, 'the int8 file is smaller');
  });
}

test('model_quantized.onnx is about a quarter of model.onnx when weights dominate the file (hidden 128)', requirement, async () => {
  const dir = await writeTinyBertFolder('bert', { layers: 2, hidden: 128 });
  const c = await createBertClassifier(tinyTrainConfig(dir), ['neg', 'pos'], { purpose: 'predict' });
  const out = mkdtempSync(join(tmpdir(), 'onnx-wide-'));
  const [fp32File, int8File] = await c.exportOnnx(out, { quantize: 'int8' });
  c.dispose();
  const ratio = statSync(int8File!).size / statSync(fp32File!).size;
  // 1 byte per weight instead of 4; LayerNorm parameters, biases and the graph stay as they were.
  assert.ok(ratio >= 0.25 && ratio <= 0.3, `int8/float32 size ratio ${ratio.toFixed(3)}`);
  const batch = (await loadTokenizer(dir)).encodeBatch(['good movie', 'the food was very bad so sad'], { maxLength: 32 });
  assert.equal((await onnxLogits(int8File!, batch)).length, 4, 'ONNX Runtime runs the int8 model');
});

test('a LoRA classifier exports its adapters merged: ONNX Runtime gives the probabilities the classifier predicts', requirement, async () => {
  const dir = await writeTinyBertFolder('bert', { layers: 2 });
  const c = await createBertClassifier(tinyTrainConfig(dir, { epochs: 1, mode: 'lora', learningRate: 1e-2, lora: { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'value', 'intermediate'] } }), ['neg', 'pos']);
  const { stepsPerEpoch } = await c.beginTraining(tinyExamples(64), { epochs: 1, seed: 5 });
  for (let s = 0; s < stepsPerEpoch; s++) await c.trainStep(0, s);
  const { specs, data } = c.parameters();
  const loraB = specs.filter((s) => s.name.endsWith('.lora_B'));
  const largest = Math.max(...loraB.flatMap((s) => Array.from(data.subarray(s.offset, s.offset + s.size), Math.abs)));
  assert.ok(loraB.length === 6 && largest > 1e-3, `the adapters learned something (${loraB.length} lora_B, max |B| ${largest})`);
  const texts = tinyExamples(8, 3).map((e) => e.text);
  const probs = await c.predictProbs(texts);
  const out = mkdtempSync(join(tmpdir(), 'onnx-lora-'));
  const [file] = await c.exportOnnx(out);
  c.dispose();
  assert.equal(basename(file!), 'model.onnx');
  const logits = await onnxLogits(file!, (await loadTokenizer(dir)).encodeBatch(texts, { maxLength: 32 }));
  for (let r = 0; r < texts.length; r++) {
    const [a, b] = [logits[2 * r]!, logits[2 * r + 1]!];
    const p1 = 1 / (1 + Math.exp(a - b));
    assert.ok(Math.abs(p1 - probs[2 * r + 1]!) < 1e-4, `text ${r}: onnx p(pos) ${p1} vs classifier ${probs[2 * r + 1]}`);
  }
});
