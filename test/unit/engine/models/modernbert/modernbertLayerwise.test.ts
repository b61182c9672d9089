// ModernBERT's layer-wise gradients (nn/layerwiseGradients.ts, used when the whole graph does not fit the wasm heap)
// equal its whole-graph gradients, with every dropout on (each part recomputes its own masks), for full fine-tuning
// and LoRA, cls and mean pooling, token-embedding gradients included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadModernBertModel } from '../../../../../src/engine/models/modernbert/loadModernBertModel';
import { ModernBertCompute } from '../../../../../src/engine/models/modernbert/modernbertCompute';
import { lossCoefficients, singleLabelObjective } from '../../../../../src/engine/models/nn/classificationObjective';
import { assertSameGradients } from '../../../../helpers/gradientChecks';

const fixtures = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families');

for (const [fixture, mode] of [['modernbert-tiny-random', 'full'], ['modernbert-tiny-random-mean', 'full'], ['modernbert-tiny-random', 'lora']] as const) {
  test(`${fixture} ${mode}: layer-wise gradients equal whole-graph gradients, dropout included`, async () => {
    await selectBackend('wasm');
    const lora = mode === 'lora' ? { rank: 2, alpha: 4, dropout: 0.1, modules: ['attn.Wqkv', 'mlp.Wo'] } : undefined;
    const model = await loadModernBertModel(join(fixtures, fixture), 6, { lora, seed: 3, allowHeadMismatch: true });
    const { store } = model;
    // LoRA B starts at zero; make it non-zero so the adapters' input gradients matter.
    for (const s of store.specs) if (s.name.includes('lora_B')) store.get(s.name).forEach((_, i, a) => (a[i] = 0.05 * Math.cos(i)));
    const cfg = { ...model.cfg, embeddingDropout: 0.1, attentionDropout: 0.1, mlpDropout: 0.1, classifierDropout: 0.1 };
    const names = store.specs.map((s) => s.name);
    const trainable = new Set(mode === 'full' ? names.filter((n) => !n.includes('lora_')) : names.filter((n) => n.includes('lora_') || n.startsWith('classifier.')));
    // Two rows, the second padded; 12 tokens > the window (8), so local layers mask by distance too.
    const T = 12;
    const inputIds = new Int32Array(2 * T).fill(cfg.padTokenId);
    const attentionMask = new Int32Array(2 * T);
    for (let t = 0; t < T; t++) [inputIds[t], attentionMask[t]] = [10 + 7 * t, 1];
    for (let t = 0; t < 9; t++) [inputIds[T + t], attentionMask[T + t]] = [30 + 5 * t, 1];
    const batch = { inputIds, attentionMask, batchSize: 2, seqLen: T };
    const { a, b } = lossCoefficients(Float32Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]), 6, singleLabelObjective, 0.5);
    const run = (layerwise: boolean): { loss: number; grads: Float32Array } => {
      const compute = new ModernBertCompute(cfg, store, { trainable, lora: lora ? { scale: 2, dropout: 0.1 } : undefined, layerwise });
      const grads = new Float32Array(store.size);
      const loss = compute.lossAndGrads(batch, { lossA: a, lossB: b }, 1234, grads);
      compute.dispose();
      return { loss, grads };
    };
    const whole = run(false);
    const layered = run(true);
    assertSameGradients(store.specs, whole, layered);
    if (mode === 'full') {
      const table = store.spec('embeddings.tok_embeddings.weight');
      assert.ok(whole.grads.subarray(table.offset, table.offset + table.size).some((v) => v !== 0), 'token-embedding gradients are compared');
    }
  });
}
