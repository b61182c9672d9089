// A model too big for the memory the run may use is refused before its weights are read, with the estimate and
// what to change: a clear CLI error (exit 2), no wasm abort, no stack trace. The BERT-large-shaped folder has a
// real safetensors header and all-zero weights in a sparse file, so the test writes almost nothing to disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/engine/cli/runCli';
import { commands } from '../../src/engine/cli/commands';

const root = join(__dirname, '..', '..');

/** HF tensor names and shapes of a BERT model (torch layout: linear weights `[out, in]`). */
function bertTensors(layers: number, h: number, inter: number, vocab: number): Array<[string, number[]]> {
  const out: Array<[string, number[]]> = [
    ['bert.embeddings.word_embeddings.weight', [vocab, h]], ['bert.embeddings.position_embeddings.weight', [512, h]],
    ['bert.embeddings.token_type_embeddings.weight', [2, h]], ['bert.embeddings.LayerNorm.weight', [h]], ['bert.embeddings.LayerNorm.bias', [h]],
    ['bert.pooler.dense.weight', [h, h]], ['bert.pooler.dense.bias', [h]],
  ];
  for (let i = 0; i < layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    for (const n of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) out.push([`${p}.${n}.weight`, [h, h]], [`${p}.${n}.bias`, [h]]);
    out.push([`${p}.intermediate.dense.weight`, [inter, h]], [`${p}.intermediate.dense.bias`, [inter]], [`${p}.output.dense.weight`, [h, inter]], [`${p}.output.dense.bias`, [h]]);
    for (const n of ['attention.output.LayerNorm', 'output.LayerNorm']) out.push([`${p}.${n}.weight`, [h]], [`${p}.${n}.bias`, [h]]);
  }
  return out;
}

/** A model folder of the given shape whose model.safetensors is a valid header followed by sparse zeros. */
async function writeShapedFolder(layers: number, h: number, heads: number, inter: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bert-${layers}x${h}-`));
  const vocab = 30522;
  await writeFile(join(dir, 'config.json'), JSON.stringify({
    architectures: ['BertModel'], model_type: 'bert', vocab_size: vocab, hidden_size: h, num_hidden_layers: layers, num_attention_heads: heads,
    intermediate_size: inter, max_position_embeddings: 512, type_vocab_size: 2, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1,
  }));
  await copyFile(join(root, '..', 'shared', 'models', 'bert-tiny-random', 'vocab.txt'), join(dir, 'vocab.txt')).catch(async () => {
    await writeFile(join(dir, 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'i', 'feel'].join('\n'));
  });
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, shape] of bertTensors(layers, h, inter, vocab)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const file = await open(join(dir, 'model.safetensors'), 'w');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  await file.write(Buffer.concat([len, Buffer.from(json)]));
  await file.truncate(8 + json.length + offset);
  await file.close();
  return dir;
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: root, signal: new AbortController().signal, version: 'test' });
  return { code, stdout, stderr };
}

for (const [label, layers, h, heads, inter, mode] of [['BERT-large (24 × 1024) full', 24, 1024, 16, 4096, 'full'], ['BERT-base-sized LoRA', 12, 768, 12, 3072, 'lora']] as const) {
  test(`${label} over the memory limit is refused before training with the estimate`, async () => {
    const model = await writeShapedFolder(layers, h, heads, inter);
    const runsDir = await mkdtemp(join(tmpdir(), 'refusal-runs-'));
    const before = process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB;
    process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB = '2';
    try {
      const r = await cli(['train', 'samples/support-tickets-train.jsonl', '--model', model, '--mode', mode, '--batch', '32', '--runs-dir', runsDir]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const text = r.stdout + r.stderr;
      assert.match(text, /cannot be trained on this machine with these settings: [\d.]+M parameters, [\d.,M]+ trained, ~\d+\.\d GB estimated training memory/);
      assert.match(text, /training needs about \d+\.\d GB and 2\.0 GB may be used; .*a smaller model, or more memory \(CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB\)/);
      assert.doesNotMatch(text, /Aborted|RuntimeError|\n\s+at /, 'no wasm abort and no stack trace');
    } finally {
      if (before === undefined) delete process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB;
      else process.env.CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB = before;
      await rm(model, { recursive: true, force: true });
      await rm(runsDir, { recursive: true, force: true });
    }
  });
}
