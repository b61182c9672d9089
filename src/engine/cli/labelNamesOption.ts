// The --label-names option of the commands that read integer-labelled datasets (inspect, train), declared and
// parsed once so both accept the same forms and say the same things.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliOptionSpec } from './cliCommand';
import { CliUsageError } from './cliUsageError';

/** `--label-names LIST`: the names of integer labels, in label-id order. */
export const labelNamesOption: CliOptionSpec = {
  name: 'label-names', type: 'string', valueName: 'LIST', description: 'Names of integer labels: a,b,c or @file (JSON array or one per line)',
};

/**
 * Parses `a,b,c`, or `@path` to a JSON array of strings or a text file with one name per line.
 * @param command the command named in usage errors.
 * @throws CliUsageError when the list is empty, unreadable, or names a label twice.
 */
export function parseLabelNames(value: string, cwd: string, command: string): string[] {
  let names: unknown;
  if (value.startsWith('@')) {
    const path = resolve(cwd, value.slice(1));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new CliUsageError(`Cannot read the label-names file: ${(err as Error).message}`, command);
    }
    const trimmed = text.trim();
    names = trimmed.startsWith('[') ? safeJson(trimmed) : trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  } else {
    names = value.split(',').map((n) => n.trim());
  }
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) {
    throw new CliUsageError('--label-names must be a non-empty list of names (a,b,c or @file).', command);
  }
  if (new Set(names).size !== names.length) throw new CliUsageError('--label-names has a name twice.', command);
  return names as string[];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
