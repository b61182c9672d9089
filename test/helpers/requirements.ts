// What some tests need from outside the repository: `../shared` (datasets, models, the PyTorch reference, the
// cases), Debian's python3 with torch or scikit-learn, a dependency with a native binary. One rule
// for all of them: when one is missing, the test is skipped with the reason everywhere but under CI (`underCI()`),
// where it fails instead: CI always provides them (`.ci/run`), so a silent skip there would hide a regression.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test as nodeTest, type TestContext, type TestOptions } from 'node:test';

/** `../shared` beside the repository (the worktrees of a session sit one level deeper, with their own link). */
export const sharedDir = resolve(__dirname, '..', '..', '..', 'shared');

/** Whether this is a CI run: `CI` set to anything but `false` or `0` (how CI services and `.ci/run` mark it). */
export function underCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

/** `/usr/bin/python3`, which CI provides with Debian's torch and scikit-learn. */
export const python = '/usr/bin/python3';

/** Something a test needs from outside the repository. */
export interface Requirement {
  /** What it is, as a reason: "../shared/models/bert-tiny-random". */
  what: string;
  /** How a machine gets it. */
  remedy: string;
  present(): boolean;
}

/** A path under `../shared`, e.g. `sharedPath('models', 'bert-tiny-random')`; whether it exists is `shared()`'s job. */
export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/** A file or folder under `../shared`. */
export function shared(relativePath: string): Requirement {
  return {
    what: `../shared/${relativePath}`,
    remedy: `the tests read ${sharedPath(relativePath)}: ../shared must sit beside the repository`,
    present: () => existsSync(sharedPath(relativePath)),
  };
}

const debianPackage: Record<string, string> = { torch: 'python3-torch', sklearn: 'python3-sklearn' };

/** A module that `/usr/bin/python3` imports (torch, sklearn: Debian's python3-torch, python3-sklearn). */
export function pythonModule(name: 'torch' | 'sklearn'): Requirement {
  return {
    what: `${python} with ${name}`,
    remedy: `apt-get install -y ${debianPackage[name]} (.ci/run installs it)`,
    present: () => spawnSync(python, ['-c', `import ${name}`], { stdio: 'ignore' }).status === 0,
  };
}

/** A package of this project's dependencies that loads (an optional one, or one with a native binary). */
export function nodePackage(name: string): Requirement {
  return {
    what: `the ${name} package`,
    remedy: 'npm install (it is one of the dependencies; on npm < 11 an optional one whose install script may have failed)',
    present: () => {
      try {
        require(name);
        return true;
      } catch {
        return false;
      }
    },
  };
}

const checked = new Map<string, boolean>();
const reported = new Set<string>();

function missing(requirement: Requirement): boolean {
  let present = checked.get(requirement.what);
  if (present === undefined) checked.set(requirement.what, (present = requirement.present()));
  return !present;
}

/**
 * Test options for a test that needs `requirements`: `{}` when all are present; else `{ skip: reason }`, and under
 * CI also one failing test (per missing requirement and test file) that says what is missing and how to get it.
 */
export function needs(...requirements: Requirement[]): TestOptions {
  const absent = requirements.filter(missing);
  if (absent.length === 0) return {};
  if (underCI()) {
    for (const r of absent) {
      if (reported.has(r.what)) continue;
      reported.add(r.what);
      nodeTest(`CI provides ${r.what}`, () => {
        throw new Error(`${r.what} is missing; under CI the tests that need it fail instead of skipping: ${r.remedy}`);
      });
    }
  }
  return { skip: `needs ${absent.map((r) => r.what).join(' and ')} (${absent.map((r) => r.remedy).join('; ')})` };
}

type Body = (t: TestContext) => void | Promise<void>;

/**
 * A `test` whose every test needs `requirements` (the rule of `needs()`), for a file in which all tests read the same
 * outside thing: `const test = testsNeeding(shared('models/bert-tiny-random'))`. Takes `(name, fn)` or
 * `(name, options, fn)` as node:test's `test` does.
 */
export function testsNeeding(...requirements: Requirement[]): (name: string, optionsOrFn: TestOptions | Body, fn?: Body) => void {
  const extra = needs(...requirements);
  return (name, optionsOrFn, fn) => {
    if (typeof optionsOrFn === 'function') void nodeTest(name, extra, optionsOrFn);
    else void nodeTest(name, { ...optionsOrFn, ...extra }, fn);
  };
}
