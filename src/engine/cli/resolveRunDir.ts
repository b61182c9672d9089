// Lets run commands take a run folder, or just a run id from the default runs folder of the working directory.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
