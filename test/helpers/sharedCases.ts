// The situations of ../shared/cases (see its README), copied into a temp folder per test so the shared files are
// never modified. A test that copies a case declares it: `test(name, needs(shared('cases/<name>')), ...)`
// (test/helpers/requirements.ts: skipped with the reason outside CI, a failure under CI).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from './requirements';

export { sharedDir } from './requirements';

/** Copies `../shared/cases/<name>` into a fresh temp folder and returns that folder. */
export function copySharedCase(name: string): string {
  const source = sharedPath('cases', name);
  assert.ok(existsSync(source), `${source} is missing: the tests need ../shared/cases beside the repository`);
  const dir = mkdtempSync(join(tmpdir(), `cw-${name}-`));
  cpSync(source, dir, { recursive: true });
  return dir;
}
