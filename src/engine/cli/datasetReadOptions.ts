// The options of every command that reads a dataset (inspect, train, eval, label-issues): declared and parsed
// once, so each accepts the same forms and says the same things. Their request counterpart is DatasetReadOptions.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chatContexts, type ChatContext } from '../../protocol/chatExample';
import type { DatasetReadOptions } from '../../protocol/dataset';
import type { CliInvocation, CliOptionSpec } from './cliCommand';
import { CliUsageError } from './cliUsageError';

/** `--text-field`, `--label-field`, `--label-names`, `--chat-context`, `--label-delimiter`. */
export const datasetReadOptionSpecs: readonly CliOptionSpec[] = [
  { name: 'text-field', type: 'string', valueName: 'F', description: 'Field holding the text (default: detected)' },
  { name: 'label-field', type: 'string', valueName: 'F', description: 'Field holding the label (default: detected)' },
  { name: 'label-names', type: 'string', valueName: 'LIST', description: "Names of integer labels: a,b,c or @file (JSON array or one per line); default: the model's id2label where a model is given" },
  { name: 'chat-context', type: 'string', valueName: 'C', description: 'Chat lines: lastUser (the user message the label answers; default) or allTurns (every message before the label)' },
  { name: 'label-delimiter', type: 'string', valueName: 'D', description: 'Multi-label labels written as one string: split each label on D (e.g. "|" or ";")' },
];

/** The same for commands that take no model (inspect, recommend): --label-names has no id2label to default to. */
export const datasetReadOptionSpecsWithoutModel: readonly CliOptionSpec[] = datasetReadOptionSpecs.map((o) =>
  o.name === 'label-names' ? { ...o, description: 'Names of integer labels: a,b,c or @file (JSON array or one per line); default: the integers themselves' } : o);

/**
 * The dataset options of a command line.
 * @param command the command named in usage errors.
 * @throws CliUsageError for an unreadable or malformed label-names list or an unknown chat context.
 */
export function parseDatasetReadOptions(args: CliInvocation, cwd: string, command: string): DatasetReadOptions {
  const o = args.options;
  const options: DatasetReadOptions = {};
  if (typeof o['text-field'] === 'string') options.textField = o['text-field'];
  if (typeof o['label-field'] === 'string') options.labelField = o['label-field'];
  if (typeof o['label-names'] === 'string') options.labelNames = parseLabelNames(o['label-names'], cwd, command);
  if (typeof o['label-delimiter'] === 'string') {
    if (o['label-delimiter'] === '') throw new CliUsageError('--label-delimiter must not be empty (e.g. "|" or ";").', command);
    options.labelDelimiter = o['label-delimiter'];
  }
  const chat = o['chat-context'];
  if (typeof chat === 'string') {
    if (!chatContexts.includes(chat as ChatContext)) throw new CliUsageError(`--chat-context must be ${chatContexts.join(' or ')} (got '${chat}').`, command);
    options.chatContext = chat as ChatContext;
  }
  return options;
}

/**
 * Parses `a,b,c`, or `@path` to a JSON array of strings or a text file with one name per line.
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
