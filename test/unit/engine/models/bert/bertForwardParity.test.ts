// Forward parity with the independent PyTorch implementation: token ids and encoder outputs of
// ../shared/models/bert-tiny-random must match ../shared/reference/golden-bert-tiny-random.jsonl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadBertModel } from '../../../../../src/engine/models/bert/loadBertModel';
import { BertCompute } from '../../../../../src/engine/models/bert/bertCompute';
import { needs, shared, sharedPath } from '../../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const golden = sharedPath('reference', 'golden-bert-tiny-random.jsonl');

interface GoldenRow { text: string; input_ids: number[]; cls_hidden_first8: number[]; last_hidden_abs_sum: number; pooled_first8: number[] }

test('bert-tiny-random matches the PyTorch reference on every golden row', needs(shared('models/bert-tiny-random'), shared('reference/golden-bert-tiny-random.jsonl')), async () => {
  await selectBackend('wasm');
  const model = await loadBertModel(modelDir, 2);
  const compute = new BertCompute(model.cfg, model.store, { trainable: new Set() });
  const rows = readFileSync(golden, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GoldenRow);
  assert.equal(rows.length, 64);
  for (const [i, row] of rows.entries()) {
    const ids = model.tokenizer.encode(row.text, 128);
    assert.deepEqual(ids, row.input_ids, `token ids of row ${i}`);
    const inputIds = Int32Array.from(ids);
    const { hidden, pooled } = compute.hiddenStates({ inputIds, attentionMask: new Int32Array(ids.length).fill(1), batchSize: 1, seqLen: ids.length });
    for (let j = 0; j < 8; j++) {
      assert.ok(Math.abs(hidden[j] - row.cls_hidden_first8[j]) <= 1e-4, `row ${i} cls_hidden[${j}]: ${hidden[j]} vs ${row.cls_hidden_first8[j]}`);
      assert.ok(Math.abs(pooled[j] - row.pooled_first8[j]) <= 1e-4, `row ${i} pooled[${j}]: ${pooled[j]} vs ${row.pooled_first8[j]}`);
    }
    // A sum of |h| over seq×128 values (~1e3): 1e-4 per value would allow ~0.3 absolute, so use a relative
    // bound of 1e-5 (the reference rounds it to 4 decimals; float32 summation order differs).
    let absSum = 0;
    for (const v of hidden) absSum += Math.abs(v);
    assert.ok(Math.abs(absSum - row.last_hidden_abs_sum) <= 1e-5 * row.last_hidden_abs_sum, `row ${i} abs sum ${absSum} vs ${row.last_hidden_abs_sum}`);
  }
  // Padding must not change the result: the first two rows batched together (the shorter one padded).
  const [a, b] = rows;
  const seqLen = Math.max(a.input_ids.length, b.input_ids.length);
  const inputIds = new Int32Array(2 * seqLen);
  const mask = new Int32Array(2 * seqLen);
  [a, b].forEach((r, k) => {
    inputIds.set(r.input_ids, k * seqLen);
    mask.fill(1, k * seqLen, k * seqLen + r.input_ids.length);
  });
  const { pooled } = compute.hiddenStates({ inputIds, attentionMask: mask, batchSize: 2, seqLen });
  for (let j = 0; j < 8; j++) assert.ok(Math.abs(pooled[128 + j] - b.pooled_first8[j]) <= 1e-4, `padded batch pooled[${j}]`);
  for (let j = 0; j < 8; j++) assert.ok(Math.abs(pooled[j] - a.pooled_first8[j]) <= 1e-4, `padded batch pooled[${j}]`);
  compute.dispose();
});
