// Dispatches a command line to a command from the table, and turns every outcome into an exit code.
import { EngineError, asEngineError } from '../index';
import { terminalOutput } from './terminalText';
import { EngineErrorCodes } from '../../protocol/errors';
import type { CliCommand, CliContext } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { formatCommandHelp, formatGlobalHelp, programName } from './formatHelp';
import { parseCommandArgs } from './parseCommandArgs';

export interface CliEnvironment {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  signal: AbortSignal;
  version: string;
}

/**
 * Runs `argv` (without `node` and the script) against `commands` and resolves to the exit code; never
 * throws. EngineErrors print as `file:line:column: detail` (exit 2), usage errors with a pointer to help
 * (exit 64), anything else as an internal error (exit 1).
 */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[], rawEnv: CliEnvironment): Promise<number> {
  // Whatever a command prints passes here: a control character from the data cannot act on the terminal.
  const env: CliEnvironment = { ...rawEnv, stdout: (text) => rawEnv.stdout(terminalOutput(text)), stderr: (text) => rawEnv.stderr(terminalOutput(text)) };
  const args = [...argv];
  // Global flags may precede the command name.
  let json = false;
  while (args.length > 0 && args[0].startsWith('-')) {
    const flag = args.shift()!;
    if (flag === '--help' || flag === '-h') {
      env.stdout(formatGlobalHelp(commands, env.version));
      return ExitCodes.ok;
    }
    if (flag === '--version' || flag === '-v') {
      env.stdout(json ? `${JSON.stringify({ version: env.version })}\n` : `${env.version}\n`);
      return ExitCodes.ok;
    }
    if (flag === '--json') json = true;
    else return usageError(env, new CliUsageError(`Unknown option '${flag}'.`), json);
  }
  const name = args.shift();
  if (name === undefined) {
    env.stderr(formatGlobalHelp(commands, env.version));
    return ExitCodes.usage;
  }
  if (name === 'help') {
    const topic = commands.find((c) => c.name === args[0]);
    env.stdout(topic ? formatCommandHelp(topic) : formatGlobalHelp(commands, env.version));
    return ExitCodes.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const known = commands.map((c) => c.name).join(', ');
    return usageError(env, new CliUsageError(`Unknown command '${name}'. Commands: ${known}.`), json);
  }

  let context: CliContext | undefined;
  try {
    const parsed = parseCommandArgs(command, args);
    if (parsed.help) {
      env.stdout(formatCommandHelp(command));
      return ExitCodes.ok;
    }
    context = { stdout: env.stdout, stderr: env.stderr, json: json || parsed.json, cwd: env.cwd, signal: env.signal };
    return await command.run({ positionals: parsed.positionals, options: parsed.options }, context);
  } catch (thrown) {
    // A full disk or a read-only folder is the environment, not a bug: it prints like any EngineError.
    const err = asEngineError(thrown);
    const asJson = context?.json ?? (json || args.includes('--json'));
    if (err instanceof CliUsageError) return usageError(env, err, asJson);
    if (err instanceof EngineError) {
      if (asJson) env.stdout(`${JSON.stringify({ error: { code: err.code, ...err.data, message: err.message } })}\n`);
      else env.stderr(`${programName} ${command.name}: ${err.message}\n`);
      return err.code === EngineErrorCodes.cancelled ? ExitCodes.interrupted : ExitCodes.invalidInput;
    }
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    env.stderr(`${programName} ${command.name}: internal error (please report it):\n${message}\n`);
    return ExitCodes.internalError;
  }
}

function usageError(env: CliEnvironment, err: CliUsageError, json: boolean): number {
  const help = err.command ? `${programName} ${err.command} --help` : `${programName} --help`;
  if (json) env.stdout(`${JSON.stringify({ error: { usage: true, message: err.message } })}\n`);
  env.stderr(`${programName}: ${err.message}\nRun '${help}' for usage.\n`);
  return ExitCodes.usage;
}
