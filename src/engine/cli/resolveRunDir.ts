// Lets run commands take a run folder, or just a run id from the default runs folder of the working directory, and
// model options take a folder or a Hugging Face id.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRepoId, looksLikePath } from '../index';

/** The runs folder the CLI looks in when given a bare run id or nothing: `<cwd>/.classifier-workbench/runs`. */
export function cliRunsDir(cwd: string): string {
  return join(cwd, '.classifier-workbench', 'runs');
}

/** `value` as a path when it exists, else as a run id under `cliRunsDir(cwd)` when that exists, else the path. */
export function resolveRunDir(value: string, cwd: string): string {
  const asPath = resolve(cwd, value);
  if (existsSync(asPath)) return asPath;
  const asId = join(cliRunsDir(cwd), value);
  return existsSync(asId) ? asId : asPath;
}

/**
 * A model option as the engine's `resolveModel` should see it: an existing path (against `cwd`) made absolute (so
 * a run records a path that works from anywhere); otherwise a value that reads as a Hugging Face id (`org/name`,
 * or a legacy bare name) kept as typed, so it reaches the Hub cache and the Hub instead of being taken for a
 * missing folder under `cwd`; anything else (`./x`, `/x`, `~/x`, `a/b/c`) made absolute, for an error naming it.
 * @param value what the user typed (`--model`, `$CLASSIFIER_WORKBENCH_MODEL`); `ngram`/`scratch` stay as typed too.
 */
export function resolveModelArgument(value: string, cwd: string): string {
  if (value === 'ngram' || value === 'scratch' || value.startsWith('~')) return value;
  const asPath = resolve(cwd, value);
  if (existsSync(asPath)) return asPath;
  return !looksLikePath(value) && isRepoId(value) ? value : asPath;
}

/** `$CLASSIFIER_WORKBENCH_MODEL` (the CLI's default-model setting) as `resolveModelArgument` reads it, or undefined. */
export function envDefaultModel(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.CLASSIFIER_WORKBENCH_MODEL?.trim();
  return value ? resolveModelArgument(value, cwd) : undefined;
}

/** A model a prediction command loads: a run folder or run id (`resolveRunDir`), else `resolveModelArgument`. */
export function resolvePredictorArgument(value: string, cwd: string): string {
  const asRun = resolveRunDir(value, cwd);
  return existsSync(asRun) ? asRun : resolveModelArgument(value, cwd);
}
