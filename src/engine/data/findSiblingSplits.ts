// Finds the validation and test files that sit next to a training file (train.jsonl + validation.jsonl, ...).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { SplitName } from './example';
import { datasetExtensions } from '../../common/datasetFormat';
import { testSplitNames as testNames, validationSplitNames as validationNames } from '../../common/datasetSplitNames';

/**
 * The split files for `path`. When `path` is a folder, its `train.jsonl` (or `training.jsonl`; then the same
 * names in `.csv`, `.tsv`, `.parquet`) is the training file. When the file name contains `train`, files with the
 * same name but `validation`/`val`/`dev` (resp. `test`) in its place are its siblings (case-insensitive): the
 * same extension, so `train.csv` pairs with `test.csv`. Otherwise only `train` is set.
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
    const trainName = datasetExtensions.map((ext) => byLower.get(`train.${ext}`) ?? byLower.get(`training.${ext}`)).find((n) => n !== undefined);
    if (!trainName) return { train: file };
    file = join(dir, trainName);
  }
  const m = new RegExp(`^(.*?)(training|train)(.*\\.(?:${datasetExtensions.join('|')}))$`, 'i').exec(basename(file));
  if (!m) return { train: file };
  const [, prefix, , suffix] = m;
  const pick = (candidates: readonly string[]): string | undefined => {
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
