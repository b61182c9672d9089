// A folder made read-only for the tests of issue 15 (defect 3): chmod for a user; root ignores permissions, so for
// root a read-only bind mount, when this machine allows mounts.
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

/** Makes `folder` read-only for this process: chmod for a user, a read-only bind mount for root; undefined if neither works. */
export function makeReadOnlyForTest(folder: string): (() => void) | undefined {
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return () => chmodSync(folder, 0o755);
  }
  if (spawnSync('mount', ['--bind', folder, folder]).status !== 0) return undefined;
  if (spawnSync('mount', ['-o', 'remount,ro,bind', folder]).status !== 0) {
    spawnSync('umount', [folder]);
    return undefined;
  }
  return () => void spawnSync('umount', [folder]);
}
