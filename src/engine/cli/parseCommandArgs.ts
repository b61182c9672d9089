// Parses a command's arguments with Node's own `util.parseArgs` (no dependency), from the command's option table.
import { parseArgs } from 'node:util';
import type { CliCommand, CliInvocation } from './cliCommand';
import { CliUsageError } from './cliUsageError';

/**
 * Parses `argv` (the arguments after the command name) against `command`'s options and positionals.
 * `--help`, `-h` and `--json` are accepted by every command. Options may come before or after positionals;
 * `--` ends options.
 * @throws CliUsageError on an unknown option, a missing value, or a wrong number of positionals.
 */
export function parseCommandArgs(command: CliCommand, argv: readonly string[]): CliInvocation & { help: boolean; json: boolean } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
  };
  for (const o of command.options) config[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(command, argv), options: config, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliUsageError(cleanParseError((err as Error).message), command.name);
  }
  const { help, json, ...options } = parsed.values as Record<string, string | boolean | undefined>;
  const result = { positionals: parsed.positionals, options, help: help === true, json: json === true };
  if (result.help) return result;
  const required = command.positionals.filter((p) => !p.optional).length;
  if (parsed.positionals.length < required) {
    const missing = command.positionals[parsed.positionals.length];
    throw new CliUsageError(`Missing argument <${missing.name}>: ${missing.description}.`, command.name);
  }
  if (parsed.positionals.length > command.positionals.length && !command.positionals.at(-1)?.variadic) {
    throw new CliUsageError(`Unexpected argument '${parsed.positionals[command.positionals.length]}'.`, command.name);
  }
  return result;
}

/**
 * `--epochs -1` as `--epochs=-1`: parseArgs takes a value that starts with a dash for a flag ("argument is
 * ambiguous"), but a negative number after an option that takes a value is that option's value, to be range-checked.
 */
function joinNegativeValues(command: CliCommand, argv: readonly string[]): string[] {
  const takesValue = new Map<string, string>();
  for (const o of command.options) {
    if (o.type !== 'string') continue;
    takesValue.set(`--${o.name}`, o.name);
    if (o.short) takesValue.set(`-${o.short}`, o.name);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = takesValue.get(argv[i]!);
    if (argv[i] === '--') return [...out, ...argv.slice(i)];
    if (name !== undefined && i + 1 < argv.length && /^-\.?\d/.test(argv[i + 1]!)) out.push(`--${name}=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}

/** Node's messages mention `args` and how to allow positionals; keep only what helps a CLI user. */
function cleanParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option '${unknown[1]}'.`;
  const missingValue = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missingValue) return `Option '${missingValue[1]}' needs a value.`;
  return message.split('\n')[0];
}
