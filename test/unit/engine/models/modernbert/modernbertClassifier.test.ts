// ModernBERT configs the engine cannot compute are refused with the field and what to do (from config.json alone,
// so a Hub download stops before the weights); weights that disagree with the config's bias flags are named; a run
// resumed from a checkpoint continues with exactly the losses of an uninterrupted one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEncoderConfig, supportedModelTypes } from '../../../../../src/engine/classifier/createClassifier';
import { parseModernBertConfig } from '../../../../../src/engine/models/modernbert/modernbertConfig';
import { readSafetensors, writeSafetensors } from '../../../../../src/engine/tensorFiles/safetensors';
import { loadModernBertModel } from '../../../../../src/engine/models/modernbert/loadModernBertModel';
import { createModernBertClassifier } from '../../../../../src/engine/models/modernbert/modernbertClassifier';
import type { TrainConfig } from '../../../../../src/protocol/train';
import type { Example } from '../../../../../src/engine/data/example';

const fixture = join(__dirname, '..', '..', '..', '..', 'fixtures', 'families', 'modernbert-tiny-random');
const base = JSON.parse(readFileSync(join(fixture, 'config.json'), 'utf8')) as Record<string, unknown>;

test('modernbert is a supported model type, and its released config shape parses with HF defaults', () => {
  assert.ok(supportedModelTypes().includes('modernbert'));
  // answerdotai/ModernBERT-base's config.json fields and values as published (written from its documentation; the Hub
  // cannot be reached from here to fetch the file).
  const released = {
    architectures: ['ModernBertForMaskedLM'], model_type: 'modernbert', vocab_size: 50368, hidden_size: 768, intermediate_size: 1152,
    num_hidden_layers: 22, num_attention_heads: 12, hidden_activation: 'gelu', max_position_embeddings: 8192, norm_eps: 1e-5,
    norm_bias: false, global_rope_theta: 160000.0, local_rope_theta: 10000.0, global_attn_every_n_layers: 3, local_attention: 128,
    pad_token_id: 50283, attention_bias: false, mlp_bias: false, classifier_pooling: 'mean', classifier_activation: 'gelu',
    classifier_bias: false, classifier_dropout: 0.0,
  };
  const cfg = parseModernBertConfig(released);
  assert.deepEqual(cfg.globalLayers.map((g, i) => (g ? i : -1)).filter((i) => i >= 0), [0, 3, 6, 9, 12, 15, 18, 21]);
  assert.equal(cfg.localRopeTheta, 10000);
  assert.equal(cfg.globalRopeTheta, 160000);
  assert.equal(cfg.classifierPooling, 'mean');
  // Newer transformers write layer_types and rope_parameters instead; they win when present.
  const newer = parseModernBertConfig({ ...released, layer_types: Array.from({ length: 22 }, (_, i) => (i % 2 ? 'sliding_attention' : 'full_attention')),
    rope_parameters: { full_attention: { rope_type: 'default', rope_theta: 80000 }, sliding_attention: { rope_type: 'default', rope_theta: 5000 } } });
  assert.equal(newer.globalLayers.filter(Boolean).length, 11);
  assert.deepEqual([newer.globalRopeTheta, newer.localRopeTheta], [80000, 5000]);
  // An old config's null local_rope_theta means the global base (transformers before rope_parameters).
  assert.equal(parseModernBertConfig({ ...released, local_rope_theta: null }).localRopeTheta, 160000);
});

test('ModernBERT configs the engine cannot compute are refused from config.json, naming the field', () => {
  const refuse = (patch: Record<string, unknown>, message: RegExp) => assert.throws(() => checkEncoderConfig({ ...base, ...patch }, '/m/config.json'), (err: Error & { data?: { file?: string } }) => {
    assert.match(err.message, message);
    assert.equal(err.data?.file, '/m/config.json');
    return true;
  });
  refuse({ classifier_pooling: 'max' }, /classifier_pooling "max" is not supported \(only "cls" or "mean"/);
  refuse({ classifier_activation: 'mish' }, /classifier_activation "mish" is not supported/);
  refuse({ hidden_activation: 3 }, /hidden_activation 3 is not supported/);
  refuse({ layer_types: ['full_attention'] }, /"layer_types" must list .* each of the 4 layers/);
  refuse({ rope_parameters: { full_attention: { rope_type: 'yarn', factor: 4 } } }, /rope_type "yarn" is not supported \(only "default"\)/);
  refuse({ num_attention_heads: 32 }, /head size 32\/32 is odd/);
  refuse({ local_attention: 0 }, /"local_attention" is 0, outside the engine's bound/);
  refuse({ global_attn_every_n_layers: 1.5 }, /"global_attn_every_n_layers" must be a whole number/);
  refuse({ norm_bias: 'yes' }, /"norm_bias" must be true or false/);
  refuse({ architectures: ['ModernBertDecoderForCausalLM'] }, /Unsupported architecture ModernBertDecoderForCausalLM/);
  refuse({ model_type: 'modernbert-decoder' }, /Unsupported model_type "modernbert-decoder": the engine trains "bert", .*"modernbert"/);
});

/** The fixture with one config.json field changed, in a temp folder. */
function withConfig(patch: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'modernbert-cfg-'));
  cpSync(fixture, dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...base, ...patch }));
  return dir;
}

test('weights that disagree with the bias flags are named, both ways', async () => {
  await assert.rejects(loadModernBertModel(withConfig({ attention_bias: true }), 6), /lack tensor "model\.layers\.0\.attn\.Wqkv\.bias".*check attention_bias, mlp_bias, norm_bias/);
  const mean = join(fixture, '..', 'modernbert-tiny-random-mean');
  const dir = mkdtempSync(join(tmpdir(), 'modernbert-biased-'));
  cpSync(mean, dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, mlp_bias: false }));
  await assert.rejects(loadModernBertModel(dir, 6), /Unexpected tensors "model\.layers\.0\.mlp\.Wi\.bias".*bias flags or sizes/);
});

test('a base checkpoint (ModernBertForMaskedLM: decoder, no classifier) gets a classifier initialised; one of another label count is re-initialised', async () => {
  // The fixture as a masked-LM checkpoint: no classifier.*, the MLM decoder's bias beside the (tied) embeddings.
  const dir = withConfig({ architectures: ['ModernBertForMaskedLM'], id2label: undefined, label2id: undefined });
  const tensors = await readSafetensors(join(dir, 'model.safetensors'));
  for (const name of [...tensors.keys()]) if (name.startsWith('classifier.')) tensors.delete(name);
  tensors.set('decoder.bias', { dtype: 'F32', shape: [Number(base.vocab_size)], data: new Float32Array(Number(base.vocab_size)) });
  await writeSafetensors(join(dir, 'model.safetensors'), new Map([...tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }])));
  const loaded = await loadModernBertModel(dir, 3, { seed: 1 });
  assert.deepEqual(loaded.initialised.sort(), ['classifier.bias', 'classifier.weight']);
  const w = loaded.store.get('classifier.weight');
  const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  // _init_weights: truncated normal (±2σ) with σ = hidden_size^-0.5 (a truncated normal's spread is 0.88σ).
  assert.ok(Math.abs(std - 0.88 * 32 ** -0.5) < 0.03, `classifier std ${std}`);
  assert.ok(w.every((v) => Math.abs(v) <= 2 * 32 ** -0.5 + 1e-6), 'cut at 2σ');
  await assert.rejects(loadModernBertModel(dir, 3, { requireHead: true }), /no trained classifier for 3 labels/);
  const two = await loadModernBertModel(fixture, 2, { allowHeadMismatch: true });
  assert.deepEqual(two.reshapedHead.sort(), ['classifier.bias', 'classifier.weight']);
  await assert.rejects(loadModernBertModel(fixture, 2), /Tensor "classifier\.weight" has shape \[6, 32\] but config.json implies \[2, 32\]/);
});

test('a ModernBERT run resumed from a checkpoint continues with the losses of an uninterrupted run', async () => {
  const train: Example[] = Array.from({ length: 48 }, (_, i) => ({ text: `text number ${i} ${'word '.repeat(i % 13)}`, label: ['a', 'b', 'c'][i % 3]!, file: 't.jsonl', line: i + 1 }));
  const config: TrainConfig = {
    dataset: join(fixture, 'train.jsonl'), model: fixture, mode: 'full', epochs: 1, batchSize: 8, learningRate: 1e-3, weightDecay: 0.01,
    warmupRatio: 0.1, maxLength: 32, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 5, validationSplit: 0.1, backend: 'wasm', workers: 1,
  };
  const labels = ['a', 'b', 'c'];
  const whole = await createModernBertClassifier(config, labels, fixture);
  await whole.beginTraining(train, { epochs: 1, seed: 5 });
  const expected: number[] = [];
  for (let s = 0; s < 6; s++) expected.push((await whole.trainStep(0, s)).loss);
  whole.dispose();

  const first = await createModernBertClassifier(config, labels, fixture);
  await first.beginTraining(train, { epochs: 1, seed: 5 });
  for (let s = 0; s < 3; s++) await first.trainStep(0, s);
  const checkpoint = mkdtempSync(join(tmpdir(), 'modernbert-ckpt-'));
  await first.saveCheckpoint(checkpoint);
  first.dispose();
  const resumed = await createModernBertClassifier(config, labels, fixture);
  await resumed.beginTraining(train, { epochs: 1, seed: 5 });
  await resumed.loadCheckpoint(checkpoint);
  for (let s = 3; s < 6; s++) assert.equal((await resumed.trainStep(0, s)).loss, expected[s], `step ${s + 1}`);
  resumed.dispose();
});

test('a ModernBERT too big for the memory budget in this mode is refused from its config, before the weights load, naming the modes that fit', async () => {
  const config = (model: string, mode: TrainConfig['mode']): TrainConfig => ({
    dataset: join(model, 'train.jsonl'), model, mode, epochs: 1, batchSize: 8, learningRate: 1e-3, weightDecay: 0.01, warmupRatio: 0, maxLength: 128,
    gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 5, validationSplit: 0.1, backend: 'wasm', workers: 1,
  });
  const saved = process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB;
  process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB = '7';
  try {
    // ModernBERT-large's shape (395M parameters) over the tiny fixture's weights: full fine-tuning needs ~9 GB.
    const large = withConfig({ vocab_size: 50368, hidden_size: 1024, num_hidden_layers: 28, num_attention_heads: 16, intermediate_size: 2624 });
    await assert.rejects(createModernBertClassifier(config(large, 'full'), ['a', 'b'], large),
      /cannot be trained on this machine with these settings: 395\.\dM parameters, 395\.\dM trained, ~\d+\.\d GB estimated training memory at most \(1 replica, shards of up to \d+ rows, layer-wise gradients\)\. It does not fit: training needs about \d+\.\d GB and 7\.0 GB may be used; use --mode lora \(about \d\.\d GB\) or --mode feature-extraction/);
    // ModernBERT-base's shape passes the memory check; the weights then do not match the config.
    const baseShape = withConfig({ vocab_size: 50368, hidden_size: 768, num_hidden_layers: 22, num_attention_heads: 12, intermediate_size: 1152 });
    await assert.rejects(createModernBertClassifier(config(baseShape, 'full'), ['a', 'b'], baseShape), /describes 149,\d{3},\d{3} parameters but the weights hold/);
  } finally {
    if (saved === undefined) delete process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB;
    else process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB = saved;
  }
  const tiny = await createModernBertClassifier(config(fixture, 'lora'), ['a', 'b'], fixture);
  assert.match(tiny.describe().memory!.summary, /^[\d,]+ parameters, [\d,]+ trained, ~\d\.\d GB estimated training memory at most \(1 replica, shards of up to 8 rows\)$/);
  tiny.dispose();
});
