// A small multi-label dataset written to a temp folder (train/validation/test siblings): each text carries 0–3
// labels, told by its words (all in the tiny BERT vocabulary, so transformer tests can use it too).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/engine/seededRandom';

/** Label → the words that signal it. */
export const multiLabelWords: Record<string, string[]> = {
  praise: ['good', 'great', 'happy', 'love', 'nice'],
  complaint: ['bad', 'awful', 'sad', 'hate', 'poor'],
  food: ['food'],
};
const filler = ['the', 'a', 'movie', 'day', 'was', 'is', 'very', 'so', 'this'];

/** Writes train/validation/test files of the given sizes; returns the folder and the train and test files. */
export async function writeMultiLabelDataset(sizes = { train: 150, validation: 40, test: 40 }, seed = 3): Promise<{ dir: string; train: string; test: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'multilabel-fixture-'));
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const split = (count: number) => Array.from({ length: count }, () => {
    const labels = Object.keys(multiLabelWords).filter(() => random() < 0.4);
    const words = [pick(filler), ...labels.map((l) => pick(multiLabelWords[l]!)), pick(filler), pick(filler)];
    return JSON.stringify({ text: words.join(' '), labels });
  }).join('\n') + '\n';
  for (const [name, count] of Object.entries(sizes)) await writeFile(join(dir, `${name}.jsonl`), split(count));
  return { dir, train: join(dir, 'train.jsonl'), test: join(dir, 'test.jsonl') };
}
