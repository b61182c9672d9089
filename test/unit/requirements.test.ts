// The rule of test/helpers/requirements.ts, on a test file whose requirement is missing: outside CI its tests are
// skipped with the reason, under CI the run fails and names what is missing and how to get it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { underCI } from '../helpers/requirements';

const fixture = join(__dirname, '..', 'fixtures', 'requirements', 'missingShared.ts');

function runFixture(ci: boolean): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.CI;
  if (ci) env.CI = 'true';
  // node:test marks a child run with NODE_TEST_CONTEXT; without removing it the fixture would report to this process.
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', fixture], { env, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('outside CI a missing requirement skips the tests that need it, with the reason', () => {
  const r = runFixture(false);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /# pass 1\b/);
  assert.match(r.output, /# skipped 2\b/);
  assert.match(r.output, /needs a missing shared file # SKIP needs \.\.\/shared\/no-such-folder\/for-the-requirements-test \(the tests read .*no-such-folder/);
});

test('under CI a missing requirement fails the run with what is missing and how to get it', () => {
  const r = runFixture(true);
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /# fail 1\b/, 'one failure per missing requirement and file');
  assert.match(r.output, /not ok \d+ - CI provides \.\.\/shared\/no-such-folder\/for-the-requirements-test/);
  assert.match(r.output, /is missing; under CI the tests that need it fail instead of skipping: the tests read .*no-such-folder.*\.\.\/shared must sit beside the repository/);
  assert.match(r.output, /# pass 1\b/);
});

test('CI is on when CI is set to anything but empty, false or 0', () => {
  assert.deepEqual(['true', '1', 'yes', 'github', '', 'false', '0', undefined].map((CI) => underCI(CI === undefined ? {} : { CI })),
    [true, true, true, true, false, false, false, false]);
});
