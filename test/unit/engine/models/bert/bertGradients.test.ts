// The hand-written gradients (custom dense/batched-matMul/LayerNorm backward, JS embedding scatter) agree with
// finite differences of the loss on a tiny model, for BERT and DistilBERT, with padding in the batch, and for the
// weighted multi-label loss.
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { disableNativeMatMul, enableNativeMatMul } from '../../../../../src/engine/backend/nativeMatMul';
import { parseBertConfig } from '../../../../../src/engine/models/bert/bertConfig';
import { createBertStore, initWeights } from '../../../../../src/engine/models/bert/bertParams';
import { BertCompute } from '../../../../../src/engine/models/bert/bertCompute';
import { scatterEmbeddingGrad } from '../../../../../src/engine/models/bert/embeddingLookup';
import { tinyConfig } from './tinyBertFolder';
import { assertSameGradients } from '../../../../helpers/gradientChecks';
import { lossCoefficients, type ClassificationObjective } from '../../../../../src/engine/models/nn/classificationObjective';

const singleLabel: ClassificationObjective = { problemType: 'single_label_classification' };
// Multi-label with class and positive weights: the sigmoid/BCE path of the shared loss (classificationLossTf.ts).
const multiLabel: ClassificationObjective = { problemType: 'multi_label_classification', classWeights: Float32Array.from([1, 2, 0.5]), posWeights: Float32Array.from([3, 1, 2]) };

for (const [arch, objective, native] of [['bert', singleLabel, false], ['distilbert', singleLabel, false], ['bert', multiLabel, false], ['bert', singleLabel, true]] as const) {
  test(`${arch}, ${objective.problemType}${native ? ', native matrix products' : ''}: analytic gradients match finite differences`, async () => {
    await selectBackend('wasm');
    // Native products take transposes as Gemm flags (fastOps.ts); the plain wasm path transposes explicitly.
    if (native) assert.equal(enableNativeMatMul(1), undefined);
    else disableNativeMatMul();
    // No dropout, so the loss is a deterministic function of the weights.
    const raw = { ...tinyConfig(arch, 2), hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, dropout: 0, attention_dropout: 0, seq_classif_dropout: 0, classifier_dropout: 0 };
    const cfg = parseBertConfig(raw);
    const store = createBertStore(cfg, 3);
    initWeights(store, cfg, store.specs.map((s) => s.name), 3);
    // Non-trivial LayerNorm parameters and biases so their gradients are exercised too.
    for (const s of store.specs) if (s.shape.length === 1) store.get(s.name).forEach((_, i, a) => (a[i] += 0.1 * Math.sin(i + s.offset)));
    const compute = new BertCompute(cfg, store, { trainable: new Set(store.specs.map((s) => s.name)) });
    const batch = { inputIds: Int32Array.from([2, 7, 9, 12, 3, 2, 8, 3, 0, 0]), attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), batchSize: 2, seqLen: 5 };
    // Row 1: label 1 (multi-label: labels 0 and 1); row 2: label 2.
    const targets = objective.problemType === 'single_label_classification' ? Float32Array.from([0, 1, 0, 0, 0, 1]) : Float32Array.from([1, 1, 0, 0, 0, 1]);
    const { a, b } = lossCoefficients(targets, 3, objective, 0.5);
    const loss = { lossA: a, lossB: b };
    const lossAt = (): number => {
      compute.invalidateAll();
      return compute.lossAndGrads(batch, loss, 0, new Float32Array(store.size)).loss;
    };
    const grads = new Float32Array(store.size);
    const { dEmb } = compute.lossAndGrads(batch, loss, 0, grads);
    scatterEmbeddingGrad(cfg, store, grads, batch, dEmb!);
    let checked = 0;
    for (const spec of store.specs) {
      // Largest-gradient element of each tensor (and the padding row of the word table, which must stay 0).
      let best = spec.offset;
      for (let i = spec.offset; i < spec.offset + spec.size; i++) if (Math.abs(grads[i]) > Math.abs(grads[best])) best = i;
      if (spec.name.endsWith('word_embeddings.weight')) assert.equal(grads[spec.offset], 0, 'padding row of the word table');
      const h = 1e-2;
      const keep = store.data[best];
      store.data[best] = keep + h;
      const up = lossAt();
      store.data[best] = keep - h;
      const down = lossAt();
      store.data[best] = keep;
      const numeric = (up - down) / (2 * h);
      const tol = 2e-3 + 0.05 * Math.abs(numeric);
      assert.ok(Math.abs(numeric - grads[best]) <= tol, `${spec.name}[${best - spec.offset}]: analytic ${grads[best]} vs numeric ${numeric}`);
      checked++;
    }
    assert.equal(checked, store.specs.length);
    compute.dispose();
    disableNativeMatMul();
  });
}

const layerwiseCases = [['bert', 'full', singleLabel], ['bert', 'lora', singleLabel], ['distilbert', 'full', singleLabel], ['distilbert', 'lora', singleLabel], ['bert', 'full', multiLabel]] as const;
for (const [arch, mode, objective] of layerwiseCases) {
  test(`${arch} ${mode}, ${objective.problemType}: layer-wise gradients, with and without kept products, equal whole-graph gradients, dropout included`, async () => {
    await selectBackend('wasm');
    const cfg = parseBertConfig(tinyConfig(arch, 3));
    const lora = mode === 'lora' ? { rank: 2, alpha: 4, dropout: 0.1, targets: ['query', 'value'] } : undefined;
    const store = createBertStore(cfg, 3, lora);
    initWeights(store, cfg, store.specs.map((s) => s.name), 5);
    // LoRA B starts at zero; make it non-zero so the adapters' input gradients matter.
    for (const s of store.specs) if (s.name.includes('lora_B')) store.get(s.name).forEach((_, i, a) => (a[i] = 0.05 * Math.cos(i)));
    const names = store.specs.map((s) => s.name);
    const trainable = new Set(mode === 'full' ? names.filter((n) => !n.includes('lora_')) : names.filter((n) => n.includes('lora_') || n.startsWith('classifier.')));
    const options = { trainable, lora: lora ? { scale: 2, dropout: 0.1 } : undefined };
    const batch = { inputIds: Int32Array.from([2, 7, 9, 12, 3, 2, 8, 3, 0, 0]), attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), batchSize: 2, seqLen: 5 };
    const targets = objective.problemType === 'single_label_classification' ? Float32Array.from([0, 1, 0, 0, 0, 1]) : Float32Array.from([1, 1, 0, 0, 0, 1]);
    const { a, b } = lossCoefficients(targets, 3, objective, 0.5);
    const run = (layerwise: boolean, keptProductTokens = 0): { loss: number; grads: Float32Array; dEmb?: Float32Array } => {
      const compute = new BertCompute(cfg, store, { ...options, layerwise, keptProductTokens });
      const grads = new Float32Array(store.size);
      const r = compute.lossAndGrads(batch, { lossA: a, lossB: b }, 1234, grads);
      compute.dispose();
      return { loss: r.loss, grads, dEmb: r.dEmb };
    };
    const whole = run(false);
    const layered = run(true);
    // Kept products (the shard's 10 tokens within the limit): the recomputation multiplies none of the 3 layers'
    // 6 dense products again.
    const denseProducts = async (f: () => void): Promise<number> => (await tf.profile(f)).kernels.filter((k) => k.name === '_FusedMatMul').length;
    let kept = layered;
    const plain = await denseProducts(() => void run(true));
    const fewer = await denseProducts(() => void (kept = run(true, batch.batchSize * batch.seqLen)));
    assert.equal(plain - fewer, 3 * 6, `dense products: ${plain} layer-wise, ${fewer} with kept products`);
    for (const other of [layered, kept]) {
      assertSameGradients(store.specs, whole, other);
      assert.equal(whole.dEmb === undefined, other.dEmb === undefined);
      if (whole.dEmb) for (let i = 0; i < whole.dEmb.length; i++) assert.ok(Math.abs(whole.dEmb[i] - other.dEmb![i]) <= 1e-5 + 1e-3 * Math.abs(whole.dEmb[i]));
    }
    assert.deepEqual(kept.grads, layered.grads, 'kept products are the recomputed ones exactly');
    assert.equal(run(true, batch.batchSize * batch.seqLen - 1).loss, layered.loss, 'a shard over the limit recomputes');
  });
}
