// Forward parity of the RoBERTa, ELECTRA and DeBERTa-v3 classifiers with the independent PyTorch references
// (test/reference/torch_encoders.py, torch_deberta.py; Hugging Face semantics): token ids equal and logits within
// 1e-4 on the committed goldens (64 emotion + 64 banking77 test texts each), for random-weight tiny checkpoints with
// real tokenizer files (byte-level BPE for RoBERTa, WordPiece for ELECTRA with embedding_size ≠ hidden_size, Unigram
// for DeBERTa-v3 with 8 position buckets, so texts longer than 4 tokens use the logarithmic buckets; DeBERTa in the
// v2 layout: own pos_key_proj/pos_query_proj, absolute positions, two token types, distances clipped at 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { loadBertModel } from '../../../../src/engine/models/bert/loadBertModel';
import { BertCompute } from '../../../../src/engine/models/bert/bertCompute';

const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'families');

interface GoldenRow { text: string; input_ids: number[]; logits: number[]; cls_hidden_first8: number[] }

for (const family of ['roberta', 'electra', 'deberta-v3', 'deberta-v2']) {
  test(`${family}-tiny-random matches the PyTorch reference on every golden row (ids equal, logits within 1e-4)`, async () => {
    await selectBackend('wasm');
    const dir = join(fixtures, `${family}-tiny-random`);
    const rows = readFileSync(join(fixtures, `golden-${family}-tiny-random.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GoldenRow);
    assert.equal(rows.length, 128);
    const model = await loadBertModel(dir, 6, { requireHead: true });
    const compute = new BertCompute(model.cfg, model.store, { trainable: new Set() });
    for (const [i, row] of rows.entries()) {
      const ids = model.tokenizer.encode(row.text, 64);
      assert.deepEqual(ids, row.input_ids, `token ids of row ${i}: ${JSON.stringify(row.text)}`);
      const batch = { inputIds: Int32Array.from(ids), attentionMask: new Int32Array(ids.length).fill(1), batchSize: 1, seqLen: ids.length };
      const logits = compute.logits(batch);
      row.logits.forEach((v, j) => assert.ok(Math.abs(logits[j] - v) <= 1e-4, `row ${i} logit ${j}: ${logits[j]} vs torch ${v}`));
      const { hidden } = compute.hiddenStates(batch);
      row.cls_hidden_first8.forEach((v, j) => assert.ok(Math.abs(hidden[j] - v) <= 1e-4, `row ${i} cls hidden ${j}: ${hidden[j]} vs torch ${v}`));
    }
    // Padding changes nothing: the first three rows in one right-padded batch (RoBERTa's positions are numbered
    // from padding_idx + 1 on every real token either way).
    const three = rows.slice(0, 3).map((r) => r.input_ids);
    const seqLen = Math.max(...three.map((r) => r.length));
    const inputIds = new Int32Array(3 * seqLen).fill(model.cfg.padTokenId);
    const attentionMask = new Int32Array(3 * seqLen);
    three.forEach((r, b) => { inputIds.set(r, b * seqLen); attentionMask.fill(1, b * seqLen, b * seqLen + r.length); });
    const padded = compute.logits({ inputIds, attentionMask, batchSize: 3, seqLen });
    three.forEach((_, b) => rows[b].logits.forEach((v, j) => assert.ok(Math.abs(padded[b * 6 + j] - v) <= 1e-4, `padded row ${b} logit ${j}`)));
    compute.dispose();
  });
}
