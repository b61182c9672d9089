// Runs the real CLI command table in-process and captures what it prints, for tests of user-visible output.
import { runCli } from '../../src/engine/cli/runCli';
import { commands } from '../../src/engine/cli/commands';

export interface CliResult { code: number; stdout: string; stderr: string }

/** `classifier-workbench <args>` run in `cwd`; never throws for a failing command (see `code`). */
export async function runCliCapture(args: string[], cwd: string, signal = new AbortController().signal): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, signal, version: 'test' });
  return { code, stdout, stderr };
}
