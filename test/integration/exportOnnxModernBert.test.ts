// `classifier-workbench export RUN --onnx --quantize int8` of a ModernBERT LoRA run: the HF folder holds
// onnx/model.onnx and onnx/model_quantized.onnx, and ONNX Runtime gives the exported folder's logits (adapters merged)
// on a padded batch with texts longer than the local window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { trainRun } from '../../src/engine/train/runTraining';
import { loadModernBertModel } from '../../src/engine/models/modernbert/loadModernBertModel';
import { ModernBertCompute } from '../../src/engine/models/modernbert/modernbertCompute';
import type { ModelExportResult } from '../../src/protocol/model';
import { writeTinyDataset } from './trainFixture';
import { runCliCapture } from '../helpers/runCliCapture';
import { needs, nodePackage } from '../helpers/requirements';
import { onnxLogits } from '../helpers/onnxRuntime';

const fixture = join(__dirname, '..', 'fixtures', 'families', 'modernbert-tiny-random');

test('export --onnx --quantize int8 of a ModernBERT LoRA run writes both ONNX files; ONNX Runtime gives the exported folder\'s logits', needs(nodePackage('onnxruntime-node')), async () => {
  const { dir, train } = await writeTinyDataset(12);
  try {
    const run = await trainRun({
      dataset: train, model: fixture, mode: 'lora', epochs: 1, batchSize: 8, learningRate: 1e-2, backend: 'wasm', workers: 1,
      lora: { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'value', 'intermediate'] },
    });
    assert.equal(run.state, 'completed');
    const out = join(dir, 'exported');
    const exported = await runCliCapture(['export', run.runDir, '--onnx', '--quantize', 'int8', '--out', out, '--json'], dir);
    assert.equal(exported.code, 0, exported.stderr);
    const result = JSON.parse(exported.stdout) as ModelExportResult;
    for (const f of ['config.json', 'model.safetensors', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) assert.ok(result.files.includes(f) && existsSync(join(out, f)), `${f} written and listed: ${result.files.join(', ')}`);

    const model = await loadModernBertModel(out, 3);
    const texts = ['my card was charged twice and the invoice still shows the old price, please help me today', 'the parcel', 'why is my account locked again'];
    const batch = model.tokenizer.encodeBatch(texts, { maxLength: 64 });
    assert.ok(batch.seqLen > 2 * model.cfg.localAttention && batch.attentionMask.includes(0), `a padded batch beyond the window (${batch.seqLen} tokens)`);
    const compute = new ModernBertCompute(model.cfg, model.store, { trainable: new Set() });
    const ours = compute.logits(batch);
    compute.dispose();
    const logits = await onnxLogits(join(out, 'onnx', 'model.onnx'), batch);
    assert.equal(logits.length, texts.length * 3);
    logits.forEach((v, i) => assert.ok(Math.abs(v - ours[i]!) < 1e-4, `logit ${i}: onnx ${v} vs engine ${ours[i]}`));
    assert.equal((await onnxLogits(join(out, 'onnx', 'model_quantized.onnx'), batch)).length, texts.length * 3, 'ONNX Runtime runs the int8 model');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
