// The label-noise experiment shared by the integration test and bench/labelIssues.ts: copy a JSONL file,
// flip a seeded random fraction of labels to another class, and score flagged lines against the flips.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/engine/seededRandom';

export interface NoisyCopy {
  /** The noisy file (alone in a temp folder, so no sibling splits are picked up). */
  file: string;
  /** 1-based lines whose label was flipped. */
  flippedLines: Set<number>;
  lines: number;
}

/**
 * Writes a copy of `source` (optionally only its first `limit` lines) with `fraction` of the labels flipped
 * to a different label chosen uniformly, seeded.
 */
export async function writeNoisyCopy(source: string, options: { fraction: number; seed: number; limit?: number }): Promise<NoisyCopy> {
  const lines = (await readFile(source, 'utf8')).split('\n').filter((l) => l.trim() !== '').slice(0, options.limit);
  const records = lines.map((l) => JSON.parse(l) as { text: string; label: string });
  const labels = [...new Set(records.map((r) => r.label))].sort();
  const random = mulberry32(options.seed);
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const flippedLines = new Set<number>();
  for (const i of order.slice(0, Math.round(records.length * options.fraction))) {
    const others = labels.filter((l) => l !== records[i].label);
    records[i] = { ...records[i], label: others[Math.floor(random() * others.length)] };
    flippedLines.add(i + 1);
  }
  const dir = await mkdtemp(join(tmpdir(), 'cw-label-noise-'));
  const file = join(dir, 'noisy.jsonl');
  await writeFile(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { file, flippedLines, lines: records.length };
}

/** Precision (flipped among flagged) and recall (flagged among flipped). */
export function scoreFlags(flaggedLines: Iterable<number>, flippedLines: Set<number>): { precision: number; recall: number; flagged: number; truePositives: number } {
  const flagged = new Set(flaggedLines);
  let truePositives = 0;
  for (const line of flagged) if (flippedLines.has(line)) truePositives++;
  return { precision: flagged.size ? truePositives / flagged.size : 0, recall: flippedLines.size ? truePositives / flippedLines.size : 0, flagged: flagged.size, truePositives };
}
