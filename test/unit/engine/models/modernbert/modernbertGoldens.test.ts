// Forward parity of the ModernBERT classifier with the independent PyTorch reference (test/reference/
// torch_modernbert.py, Hugging Face semantics): token ids equal and logits within 1e-4 on the committed goldens, for
// random-weight tiny checkpoints with a ModernBERT-format tokenizer.json (byte-level BPE, [CLS] $A [SEP] template).
// Texts run to 64 tokens and the local window is 8 (or 6) tokens, so the sliding-window layers really cut attention.
// - modernbert-tiny-random: as released checkpoints are (no biases, cls pooling), 4 layers, global every 3rd layer.
// - modernbert-tiny-random-mean: every bias flag on, mean pooling, 3 layers, global every 2nd layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadModernBertModel } from '../../../../../src/engine/models/modernbert/loadModernBertModel';
import { ModernBertCompute } from '../../../../../src/engine/models/modernbert/modernbertCompute';

const fixtures = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families');

interface GoldenRow { text: string; input_ids: number[]; logits: number[]; cls_hidden_first8: number[] }

for (const [name, count] of [['modernbert-tiny-random', 128], ['modernbert-tiny-random-mean', 64]] as const) {
  test(`${name} matches the PyTorch reference on every golden row (ids equal, logits within 1e-4), alone and in a padded batch`, async () => {
    await selectBackend('wasm');
    const dir = join(fixtures, name);
    const rows = readFileSync(join(fixtures, `golden-${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GoldenRow);
    assert.equal(rows.length, count);
    const model = await loadModernBertModel(dir, 6, { requireHead: true });
    assert.ok(rows.some((r) => r.input_ids.length > model.cfg.localAttention + 1), 'some texts are longer than the local window');
    const compute = new ModernBertCompute(model.cfg, model.store, { trainable: new Set() });
    for (const [i, row] of rows.entries()) {
      const ids = model.tokenizer.encode(row.text, 64);
      assert.deepEqual(ids, row.input_ids, `token ids of row ${i}: ${JSON.stringify(row.text)}`);
      const batch = { inputIds: Int32Array.from(ids), attentionMask: new Int32Array(ids.length).fill(1), batchSize: 1, seqLen: ids.length };
      const logits = compute.logits(batch);
      row.logits.forEach((v, j) => assert.ok(Math.abs(logits[j] - v) <= 1e-4, `row ${i} logit ${j}: ${logits[j]} vs torch ${v}`));
      const { hidden } = compute.hiddenStates(batch);
      row.cls_hidden_first8.forEach((v, j) => assert.ok(Math.abs(hidden[j] - v) <= 1e-4, `row ${i} hidden ${j}: ${hidden[j]} vs torch ${v}`));
    }
    // Padding changes nothing: rows of very different lengths in one right-padded batch (the padding mask is
    // combined with the window; mean pooling averages over the mask only).
    const picked = [...rows].sort((a, b) => b.input_ids.length - a.input_ids.length).filter((_, i) => i % 20 === 0).slice(0, 5);
    const seqLen = picked[0].input_ids.length;
    const inputIds = new Int32Array(picked.length * seqLen).fill(model.cfg.padTokenId);
    const attentionMask = new Int32Array(picked.length * seqLen);
    picked.forEach((r, b) => { inputIds.set(r.input_ids, b * seqLen); attentionMask.fill(1, b * seqLen, b * seqLen + r.input_ids.length); });
    assert.ok(picked[picked.length - 1].input_ids.length < seqLen - model.cfg.localAttention, 'the batch pads a row by more than the window');
    const padded = compute.logits({ inputIds, attentionMask, batchSize: picked.length, seqLen });
    picked.forEach((r, b) => r.logits.forEach((v, j) => assert.ok(Math.abs(padded[b * 6 + j] - v) <= 1e-4, `padded row ${b} logit ${j}: ${padded[b * 6 + j]} vs ${v}`)));
    compute.dispose();
  });
}
