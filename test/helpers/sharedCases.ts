// The situations of ../shared/cases (see its README), copied into a temp folder per test so the shared files are
// never modified. Missing files fail the test: CI always has ../shared, so a silent skip would hide a regression.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** `../shared` beside the repository (the worktrees of a session sit one level deeper, with their own link). */
export const sharedDir = resolve(__dirname, '..', '..', '..', 'shared');

/** Copies `../shared/cases/<name>` into a fresh temp folder and returns that folder. */
export function copySharedCase(name: string): string {
  const source = join(sharedDir, 'cases', name);
  assert.ok(existsSync(source), `${source} is missing: the tests need ../shared/cases beside the repository`);
  const dir = mkdtempSync(join(tmpdir(), `cw-${name}-`));
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** `/usr/bin/python3`, which CI provides with Debian's torch and scikit-learn. */
export const python = '/usr/bin/python3';
