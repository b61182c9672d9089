// A tiny three-class dataset written to a temp folder (train/validation/test siblings) for training tests.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WORDS: Record<string, string[]> = {
  billing: ['charged', 'invoice', 'payment', 'card', 'billed', 'price'],
  delivery: ['parcel', 'courier', 'tracking', 'arrived', 'shipping', 'package'],
  login: ['password', 'login', 'locked', 'account', 'sign', 'email'],
};
const FILLER = ['my', 'the', 'please', 'help', 'today', 'again', 'still', 'why', 'is', 'not'];

/** Writes train (perLabel×3), validation and test files; returns the folder and the training file. */
export async function writeTinyDataset(perLabel = 20): Promise<{ dir: string; train: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'train-fixture-'));
  let n = 0;
  const line = (label: string) => {
    n++;
    const w = WORDS[label]!;
    const text = `${FILLER[n % FILLER.length]} ${w[n % w.length]} ${FILLER[(n * 7) % FILLER.length]} ${w[(n * 5 + 1) % w.length]} ${FILLER[(n * 3) % FILLER.length]}`;
    return JSON.stringify({ text, label });
  };
  const split = (count: number) => Object.keys(WORDS).flatMap((label) => Array.from({ length: count }, () => line(label))).join('\n') + '\n';
  await writeFile(join(dir, 'train.jsonl'), split(perLabel));
  await writeFile(join(dir, 'validation.jsonl'), split(Math.max(3, perLabel / 4)));
  await writeFile(join(dir, 'test.jsonl'), split(Math.max(3, perLabel / 4)));
  return { dir, train: join(dir, 'train.jsonl') };
}
