// ModernBERT's hand-written layer backward (modernbertLayerBackward.ts: one forward pass keeping what the backward
// needs, fused heap kernels) gives the whole-graph autograd gradients: without biases (cls) and with every bias (mean
// pooling), GELU and SiLU gates, a padded row and sequences longer than the local window, token embeddings included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadModernBertModel } from '../../../../../src/engine/models/modernbert/loadModernBertModel';
import { ModernBertCompute } from '../../../../../src/engine/models/modernbert/modernbertCompute';
import { lossCoefficients, singleLabelObjective } from '../../../../../src/engine/models/nn/classificationObjective';
import { assertSameGradients } from '../../../../helpers/gradientChecks';

const fixtures = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families');

for (const [fixture, activation] of [['modernbert-tiny-random', 'gelu'], ['modernbert-tiny-random-mean', 'gelu'], ['modernbert-tiny-random-mean', 'silu']] as const) {
  test(`${fixture} (${activation} gate): the hand-written layer backward equals whole-graph autograd`, async () => {
    await selectBackend('wasm');
    const model = await loadModernBertModel(join(fixtures, fixture), 6, { seed: 5, allowHeadMismatch: true });
    const { store } = model;
    const cfg = { ...model.cfg, hiddenActivation: activation };
    const trainable = new Set(store.specs.map((s) => s.name));
    // Two rows, the second padded; 12 tokens > the window, so local layers mask by distance too.
    const T = 12;
    const inputIds = new Int32Array(2 * T).fill(cfg.padTokenId);
    const attentionMask = new Int32Array(2 * T);
    for (let t = 0; t < T; t++) [inputIds[t], attentionMask[t]] = [11 + 7 * t, 1];
    for (let t = 0; t < 8; t++) [inputIds[T + t], attentionMask[T + t]] = [31 + 5 * t, 1];
    const batch = { inputIds, attentionMask, batchSize: 2, seqLen: T };
    const { a, b } = lossCoefficients(Float32Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 6, singleLabelObjective, 0.5);
    const run = (layerwise: boolean): { loss: number; grads: Float32Array } => {
      const compute = new ModernBertCompute(cfg, store, { trainable, layerwise });
      assert.equal(compute.handWrittenBackward(batch), layerwise, 'the path under test is the one taken');
      const grads = new Float32Array(store.size);
      const loss = compute.lossAndGrads(batch, { lossA: a, lossB: b }, 99, grads);
      compute.dispose();
      return { loss, grads };
    };
    const whole = run(false);
    const handWritten = run(true);
    assertSameGradients(store.specs, whole, handWritten);
    const table = store.spec('embeddings.tok_embeddings.weight');
    assert.ok(whole.grads.subarray(table.offset, table.offset + table.size).some((v) => v !== 0), 'token-embedding gradients are compared');
  });
}
