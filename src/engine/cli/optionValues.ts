// Typed readers for option values, shared by all commands so every bad value gets the same kind of message
// (and exit code 64 through CliUsageError). Each returns undefined when the option was not given.
import type { CliInvocation } from './cliCommand';
import { CliUsageError } from './cliUsageError';

/** `--name N`: an integer within [min, max]. */
export function integerOption(args: CliInvocation, name: string, command: string, range: { min?: number; max?: number } = {}): number | undefined {
  const n = numberOption(args, name, command, range);
  if (n !== undefined && !Number.isInteger(n)) throw new CliUsageError(`--${name} must be a whole number (got '${String(args.options[name])}').`, command);
  return n;
}

/** `--name X`: a finite number within [min, max]. */
export function numberOption(args: CliInvocation, name: string, command: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = args.options[name];
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new CliUsageError(`--${name} must be a number (got '${value}').`, command);
  if (range.min !== undefined && n < range.min) throw new CliUsageError(`--${name} must be at least ${range.min} (got ${value}).`, command);
  if (range.max !== undefined && n > range.max) throw new CliUsageError(`--${name} must be at most ${range.max} (got ${value}).`, command);
  return n;
}

/** `--name SIZE`: a byte count such as 1048576, 512k or 4m (binary units), at least 1. */
export function byteCountOption(args: CliInvocation, name: string, command: string): number | undefined {
  const value = args.options[name];
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)\s*([km]?)i?b?$/i.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new CliUsageError(`--${name} must be a byte count such as 1048576, 512k or 4m (got '${value}').`, command);
  const unit = m[2].toLowerCase();
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
}

/** `--name a,b,c`: a non-empty list of non-empty, trimmed items. */
export function listOption(args: CliInvocation, name: string, command: string): string[] | undefined {
  const value = args.options[name];
  if (typeof value !== 'string') return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new CliUsageError(`--${name} must be a comma-separated list without empty items (got '${value}').`, command);
  return items;
}
