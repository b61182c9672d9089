// The training-memory plan: BERT-base fits a PyTorch-sized budget with layer-wise gradients on one replica,
// small models keep the whole-graph path and a replica per core, and models that cannot fit are refused with
// the estimate and what to change. Shapes are the real ones (bert-base-uncased, BERT-large); no weights needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBertConfig } from '../../../../../src/engine/models/bert/bertConfig';
import { countParameters, describeMemoryPlan, memoryBudget, planTrainingMemory, wasmHeapBudget } from '../../../../../src/engine/models/bert/memoryEstimate';

const shape = (layers: number, hidden: number, heads: number, intermediate: number) => parseBertConfig({
  architectures: ['BertModel'], model_type: 'bert', vocab_size: 30522, hidden_size: hidden, num_hidden_layers: layers, num_attention_heads: heads,
  intermediate_size: intermediate, max_position_embeddings: 512, type_vocab_size: 2,
});
const tiny = shape(2, 128, 2, 512);
const base = shape(12, 768, 12, 3072);
const large = shape(24, 1024, 16, 4096);
const common = { numLabels: 6, batchSize: 32, maxLength: 128, workers: 0, cores: 2, nativeMatMul: true, budget: 11.5e9 };
const lora = { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'] };

test('parameter counts are those of the Hugging Face models', () => {
  // bert-base-uncased: 109,482,240 base parameters (+ a 6-way head); BERT-large: 335,141,888.
  assert.equal(countParameters(base, 6, 'full').base, 109482240 + 768 * 6 + 6);
  assert.equal(countParameters(large, 6, 'full').base, 335141888 + 1024 * 6 + 6);
  assert.equal(countParameters(base, 6, 'feature-extraction').trainable, 768 * 6 + 6);
  // LoRA rank 8 on query and value: 2 · 12 · (768·8 + 8·768) adapters + the head.
  assert.equal(countParameters(base, 6, 'lora', lora).trainable, 2 * 12 * 2 * 768 * 8 + 768 * 6 + 6);
});

test('BERT-base at batch 16 and 32 fits under PyTorch\'s 5.4 GB in every mode, one replica', () => {
  for (const batchSize of [16, 32]) {
    for (const mode of ['full', 'lora', 'feature-extraction'] as const) {
      const plan = planTrainingMemory({ ...common, cfg: base, mode, lora: mode === 'lora' ? lora : undefined, batchSize });
      assert.equal(plan.refusal, undefined, `${mode} batch ${batchSize}`);
      assert.equal(plan.replicas, 1);
      assert.ok(plan.estimatedBytes < 5.4e9, `${mode} batch ${batchSize}: ${plan.estimatedBytes}`);
      assert.ok(plan.parts.perReplica < wasmHeapBudget);
      if (mode !== 'feature-extraction') assert.equal(plan.layerwise, true, 'whole-graph autograd of BERT-base does not fit the wasm heap');
    }
  }
});

test('small models keep the whole graph and one replica per core; an explicit worker count is obeyed', () => {
  const plan = planTrainingMemory({ ...common, cfg: tiny, mode: 'full' });
  assert.equal(plan.layerwise, false);
  assert.equal(plan.replicas, 2);
  assert.equal(plan.shardRows, 32);
  assert.equal(planTrainingMemory({ ...common, cfg: tiny, mode: 'full', workers: 1 }).replicas, 1);
  // Without native products a replica per core is the only way to use the cores, whatever the size.
  assert.equal(planTrainingMemory({ ...common, cfg: base, mode: 'full', nativeMatMul: false }).replicas, 2);
  // ... unless the budget does not allow it.
  assert.equal(planTrainingMemory({ ...common, cfg: base, mode: 'full', nativeMatMul: false, budget: 4e9 }).replicas, 1);
});

test('layer-wise shards keep their dense products when the budget has room, else only the shards short enough', () => {
  const plan = planTrainingMemory({ ...common, cfg: base, mode: 'full' });
  assert.equal(plan.layerwise, true);
  assert.equal(plan.keptProductTokens, plan.shardRows * 128, 'every shard the plan allows');
  // 12 layers × (5 · 768 + 3072) floats per token of a full shard are in the estimate.
  const keptBytes = plan.shardRows * 128 * 12 * (5 * 768 + 3072) * 4;
  const tight = planTrainingMemory({ ...common, cfg: base, mode: 'full', budget: plan.estimatedBytes - 1 });
  assert.equal(tight.refusal, undefined);
  assert.ok(Math.abs(plan.estimatedBytes - tight.estimatedBytes - keptBytes) < 1, `${plan.estimatedBytes} vs ${tight.estimatedBytes}`);
  // Under that budget only shards shorter than planned keep them, within the shard's own heap: still two shards
  // of 16 rows × 48 tokens (a batch of 32 emotion texts).
  assert.ok(tight.keptProductTokens >= 16 * 48 && tight.keptProductTokens < tight.shardRows * 128, `${tight.keptProductTokens}`);
  assert.equal(planTrainingMemory({ ...common, cfg: tiny, mode: 'full' }).keptProductTokens, 0, 'whole-graph plans recompute nothing');
});

test('longer texts mean fewer rows per shard', () => {
  const short = planTrainingMemory({ ...common, cfg: base, mode: 'full', maxLength: 64 });
  const long = planTrainingMemory({ ...common, cfg: base, mode: 'full', maxLength: 512 });
  assert.ok(long.shardRows < short.shardRows, `${long.shardRows} vs ${short.shardRows}`);
  assert.ok(long.shardRows >= 1);
});

test('BERT-large full fine-tuning is refused under a smaller budget, with the estimate and what to change', () => {
  const full = planTrainingMemory({ ...common, cfg: large, mode: 'full', budget: 1e12 });
  const fe = planTrainingMemory({ ...common, cfg: large, mode: 'feature-extraction', budget: 1e12 });
  assert.ok(fe.estimatedBytes < full.estimatedBytes);
  // A budget between the two: full is refused and told that feature extraction fits.
  const budget = (fe.estimatedBytes + full.estimatedBytes) / 2;
  const plan = planTrainingMemory({ ...common, cfg: large, mode: 'full', budget });
  assert.match(plan.refusal ?? '', /^training needs about \d+\.\d GB and \d+\.\d GB may be used; use (--mode lora \(about \d+\.\d GB\) or )?--mode feature-extraction \(about \d+\.\d GB\), a smaller model/);
  assert.match(describeMemoryPlan(plan), /^335\.1M parameters, 335\.1M trained, ~\d+\.\d GB estimated training memory at most/);
  assert.equal(planTrainingMemory({ ...common, cfg: large, mode: 'feature-extraction', budget }).refusal, undefined);
  // Under a budget nothing fits, no mode is suggested.
  assert.doesNotMatch(planTrainingMemory({ ...common, cfg: large, mode: 'full', budget: 3e9 }).refusal ?? '', /--mode/);
});

test('the memory refusal names the Fine-tune dialogue in VS Code and the flags on the CLI', () => {
  const full = planTrainingMemory({ ...common, cfg: large, mode: 'full', budget: 1e12 });
  const fe = planTrainingMemory({ ...common, cfg: large, mode: 'feature-extraction', budget: 1e12 });
  const plan = planTrainingMemory({ ...common, cfg: large, mode: 'full', budget: (fe.estimatedBytes + full.estimatedBytes) / 2 });
  assert.match(plan.refusal ?? '', /--mode feature-extraction/);
  assert.match(plan.editorRefusal ?? '', /pick (lora \(about \d+\.\d GB\) or )?feature-extraction \(about \d+\.\d GB\) as the training mode in the Fine-tune dialogue, a smaller model/);
  assert.doesNotMatch(plan.editorRefusal ?? '', /--/);
  // A text too long for the heap: the max length and the mode, each by its dialogue step.
  const long = planTrainingMemory({ ...common, cfg: large, mode: 'full', budget: 1e12, maxLength: 65536 });
  assert.match(long.refusal ?? '', /use --max-length \d+ or less, --mode lora or feature-extraction/);
  assert.match(long.editorRefusal ?? '', /set "Max length" in the Fine-tune dialogue's "Customise hyperparameters…" step to \d+ or less, pick lora or feature-extraction as the training mode in the Fine-tune dialogue, or a native backend/);
  assert.doesNotMatch(long.editorRefusal ?? '', /--/);
});

test('weights that cannot fit the 4 GB wasm heap are refused whatever the budget', () => {
  const huge = shape(36, 2048, 16, 8192); // 1.8 billion parameters: 7 GB of weights
  const plan = planTrainingMemory({ ...common, cfg: huge, mode: 'lora', lora, budget: 1e12 });
  assert.match(plan.refusal ?? '', /4 GB heap/);
  // A native tfjs backend has no such heap and no replicas: the same model is judged by the budget alone.
  const native = planTrainingMemory({ ...common, cfg: huge, mode: 'lora', lora, budget: 1e12, wasmBackend: false });
  assert.equal(native.refusal, undefined);
  assert.equal(native.replicas, 1);
});

test('the budget is half the machine unless CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB says otherwise', () => {
  assert.equal(memoryBudget(16e9, {}), 8e9);
  assert.equal(memoryBudget(2e9, {}), 2e9);
  assert.equal(memoryBudget(16e9, { CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: '12' }), 12e9);
  // A value that is not a number of GB is an error naming the variable, not a silent fallback (issue 15).
  assert.throws(() => memoryBudget(16e9, { CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: 'lots' }), /CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB must be/);
});
