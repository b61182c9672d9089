// Random-weight model folders of every encoder family at the shapes of bench/scaleModels.ts, for bench:infer:
// BERT from scaleModels' fixture (no head), the others written once into the temp folder by their PyTorch
// reference's `make` (test/reference/: a tokenizer trained on emotion, the family's real vocabulary size, and a
// trained-looking head for the emotion labels, so their logits are not near-tied).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, python, sizes } from './scaleModels';

const root = join(__dirname, '..');
const emotion = join(root, '..', 'shared', 'data', 'emotion', 'train.jsonl');
const labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];

/** How each family's reference makes a model: script, its family argument, and the family's own settings. */
const makers: Record<string, { script: string; family?: string; args: (hidden: number, intermediate: number) => string[] }> = {
  roberta: { script: 'torch_encoders.py', family: 'roberta', args: (_, i) => ['--intermediate', `${i}`, '--max-length', '512', '--vocab-size', '50265'] },
  electra: { script: 'torch_encoders.py', family: 'electra', args: (_, i) => ['--intermediate', `${i}`, '--max-length', '512', '--vocab-size', '30522'] },
  deberta: {
    script: 'torch_deberta.py',
    args: (_, i) => ['--intermediate', `${i}`, '--vocab-size', '128100', '--buckets', '256', '--max-relative', '512', '--initializer-range', '0.02'],
  },
  // ModernBERT's gated feed-forward is 1.5 × hidden wide (1152 at 768), not BERT's 4 ×.
  modernbert: { script: 'torch_modernbert.py', args: (h) => ['--intermediate', `${(3 * h) / 2}`, '--vocab-size', '50368', '--window', '128', '--every', '3'] },
};

/** The families bench:infer can run. */
export const families = ['bert', ...Object.keys(makers)];

/**
 * A random-weight folder of `family` with the layers, width and heads of `size` (scaleModels' sizes).
 * @throws Error naming the family or size when unknown, or with the reference's stderr when `make` fails
 */
export function familyModel(family: string, size: string): string {
  if (family === 'bert') return fixture(size);
  const maker = makers[family];
  if (!maker) throw new Error(`unknown family ${family}: use ${families.join(', ')}`);
  if (!sizes[size]) throw new Error(`unknown size ${size}: use ${Object.keys(sizes).join(', ')}`);
  const out = join(tmpdir(), 'cw-infer-models', `${family}-${size}`);
  if (existsSync(join(out, 'model.safetensors'))) return out;
  const [layers, hidden, heads, intermediate] = sizes[size];
  // Made beside and renamed: an interrupted make leaves no half-written folder that a later run would take.
  const staging = `${out}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const r = spawnSync(python, [join(root, 'test', 'reference', maker.script), 'make', ...(maker.family ? [maker.family] : []), staging, '--texts', emotion,
    '--layers', `${layers}`, '--hidden', `${hidden}`, '--heads', `${heads}`, ...maker.args(hidden, intermediate), '--labels', labels.join(',')], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`make ${family} ${size} failed: ${r.stderr}`);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  return out;
}
