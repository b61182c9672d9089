// A content hash of a dataset's splits: keys caches and goes into run.json, so a run knows its exact data.
import { createHash } from 'node:crypto';
import type { Example, SplitName } from './example';

/** sha256 (hex) over split names, texts, labels and order, plus the label map. File paths do not count. */
export function datasetFingerprint(splits: Record<SplitName, readonly Example[]>, labels: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`labels\u0000${labels.join('\u0001')}\u0000`);
  for (const name of ['train', 'validation', 'test'] as const) {
    hash.update(`split\u0000${name}\u0000${splits[name].length}\u0000`);
    // A multi-label example hashes its list (so ["a, b"] and ["a", "b"] differ); a single-label one stays as before.
    for (const ex of splits[name]) hash.update(`${ex.text}\u0001${ex.labels ? JSON.stringify(ex.labels) : ex.label}\u0000`);
  }
  return hash.digest('hex');
}
