// Random-weight BERT folders of the shapes bench:scale and bench:infer measure (tiny to BERT-base), written once
// into the temp folder by the PyTorch reference's make-fixture (../shared/reference/torch_bert.py), with
// bert-tiny-random's tokenizer.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const shared = join(__dirname, '..', '..', 'shared');
const reference = join(shared, 'reference', 'torch_bert.py');
const tinyModel = join(shared, 'models', 'bert-tiny-random');
export const python = '/usr/bin/python3';

/** layers, hidden, heads, intermediate (as scale_bench.py). */
export const sizes: Record<string, [number, number, number, number]> = {
  tiny: [2, 128, 2, 512], mini: [4, 256, 4, 1024], small: [4, 512, 8, 2048], minilm: [6, 384, 12, 1536], distil: [6, 768, 12, 3072], base: [12, 768, 12, 3072],
};

/** A random-weight BERT folder of the given shape, written once by the reference's make-fixture. */
export function fixture(size: string): string {
  if (!sizes[size]) throw new Error(`unknown size ${size}: use ${Object.keys(sizes).join(', ')}`);
  const out = join(tmpdir(), 'cw-scale-bench-models', size);
  if (existsSync(join(out, 'model.safetensors'))) return out;
  const [layers, hidden, heads, inter] = sizes[size];
  const tok = mkdtempSync(join(tmpdir(), 'cw-scale-tok-'));
  const cfg = JSON.parse(readFileSync(join(tinyModel, 'config.json'), 'utf8')) as Record<string, unknown>;
  Object.assign(cfg, { num_hidden_layers: layers, hidden_size: hidden, num_attention_heads: heads, intermediate_size: inter });
  writeFileSync(join(tok, 'config.json'), JSON.stringify(cfg));
  for (const f of ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) if (existsSync(join(tinyModel, f))) copyFileSync(join(tinyModel, f), join(tok, f));
  mkdirSync(out, { recursive: true });
  const r = spawnSync(python, [reference, 'make-fixture', '--tokenizer-dir', tok, '--out', out], { encoding: 'utf8' });
  rmSync(tok, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`make-fixture ${size} failed: ${r.stderr}`);
  return out;
}

