// Finds the validation and test files that sit next to a training file (train.jsonl + validation.jsonl, ...).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { SplitName } from './example';

const validationNames = ['validation', 'val', 'dev', 'valid'];
const testNames = ['test'];

/**
 * The split files for `path`. When `path` is a folder, its `train.jsonl` (or `training.jsonl`) is the
 * training file. When the file name contains `train`, files with the same name but `validation`/`val`/`dev`
 * (resp. `test`) in its place are its siblings (case-insensitive). Otherwise only `train` is set.
 */
export function findSiblingSplits(path: string): Partial<Record<SplitName, string>> & { train: string } {
  let file = resolve(path);
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    return { train: file };
  }
  const dir = isDir ? file : dirname(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { train: file };
  }
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  if (isDir) {
    const trainName = byLower.get('train.jsonl') ?? byLower.get('training.jsonl');
    if (!trainName) return { train: file };
    file = join(dir, trainName);
  }
  const m = /^(.*?)(training|train)(.*\.jsonl)$/i.exec(basename(file));
  if (!m) return { train: file };
  const [, prefix, , suffix] = m;
  const pick = (candidates: string[]): string | undefined => {
    for (const c of candidates) {
      const hit = byLower.get(`${prefix}${c}${suffix}`.toLowerCase());
      if (hit) return join(dir, hit);
    }
    return undefined;
  };
  const splits: Partial<Record<SplitName, string>> & { train: string } = { train: file };
  const validation = pick(validationNames);
  const test = pick(testNames);
  if (validation) splits.validation = validation;
  if (test) splits.test = test;
  return splits;
}
