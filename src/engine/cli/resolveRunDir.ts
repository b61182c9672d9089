// Lets run commands take a run folder, or just a run id from the default runs folder of the working directory, and
// model options take a folder or a Hugging Face id.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { absoluteModelArgument } from '../../common/modelArgument';

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


/** `$CLASSIFIER_WORKBENCH_MODEL` (the CLI's default-model setting) as `absoluteModelArgument` reads it, or undefined. */
export function envDefaultModel(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.CLASSIFIER_WORKBENCH_MODEL?.trim();
  return value ? absoluteModelArgument(value, cwd) : undefined;
}

/** A model a prediction command loads: a run folder or run id (`resolveRunDir`), else `absoluteModelArgument`. */
export function resolvePredictorArgument(value: string, cwd: string): string {
  const asRun = resolveRunDir(value, cwd);
  return existsSync(asRun) ? asRun : absoluteModelArgument(value, cwd);
}
