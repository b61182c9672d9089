// `classifier-workbench inspect <file.jsonl>`: the dataset report as a summary or JSON; exit 0 when trainable, 2 when not.
import { resolve } from 'node:path';
import { inspectDataset, loadTokenizer, type InspectOptions } from '../index';
import type { CliCommand, CliInvocation } from './cliCommand';
import { ExitCodes } from './exitCodes';
import { datasetReadOptionSpecsWithoutModel, parseDatasetReadOptions } from './datasetReadOptions';
import { formatDatasetReport } from './formatDatasetReport';
import { byteCountOption, integerOption } from './optionValues';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Check a JSONL dataset: counts, labels, lengths, problems with line numbers',
  description: [
    'Reads the file in one streaming pass (any size) and reports every problem with file, line and column.',
    'Sibling validation/test files (train.jsonl → validation.jsonl, val.jsonl, dev.jsonl, test.jsonl) are read too,',
    'to find texts shared between splits. Exit code 0 when a model can be trained on the file, 2 when not.',
  ].join('\n'),
  positionals: [{ name: 'file.jsonl', description: 'the dataset (or a folder holding train.jsonl)' }],
  options: [
    ...datasetReadOptionSpecsWithoutModel,
    { name: 'tokenizer', type: 'string', valueName: 'DIR', description: 'Model folder whose tokenizer measures token lengths (default: word estimate)' },
    { name: 'max-length', type: 'string', valueName: 'N', description: 'Token budget per text: longer texts are reported as truncated (default 128, the training default)' },
    { name: 'max-line-bytes', type: 'string', valueName: 'N', description: 'Skip and report lines longer than N bytes (default 1048576; k/m suffixes)' },
    { name: 'limit', type: 'string', valueName: 'N', description: 'Problems listed per kind (default 5; with --json 200)' },
    { name: 'no-siblings', type: 'boolean', description: 'Do not read sibling validation/test files' },
  ],
  async run(args, context) {
    const options = inspectOptions(args, context.cwd);
    const limit = integerOption(args, 'limit', 'inspect', { min: 1 }) ?? (context.json ? 200 : 5);
    const maxLength = integerOption(args, 'max-length', 'inspect', { min: 3 });
    if (maxLength !== undefined) options.maxLength = maxLength;
    options.problemLimitPerKind = Math.max(limit, context.json ? limit : 200);
    options.signal = context.signal;
    const tokenizerDir = args.options.tokenizer;
    if (typeof tokenizerDir === 'string') {
      options.tokenizer = await loadTokenizer(resolve(context.cwd, tokenizerDir));
    }
    const report = await inspectDataset(resolve(context.cwd, args.positionals[0]), options);
    if (context.json) context.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else context.stdout(formatDatasetReport(report, { cwd: context.cwd, problemsPerKind: limit }));
    return report.trainable ? ExitCodes.ok : ExitCodes.invalidInput;
  },
};

function inspectOptions(args: CliInvocation, cwd: string): InspectOptions {
  const o = args.options;
  const options: InspectOptions = parseDatasetReadOptions(args, cwd, 'inspect');
  const maxLineBytes = byteCountOption(args, 'max-line-bytes', 'inspect');
  if (maxLineBytes !== undefined) options.maxLineBytes = maxLineBytes;
  if (o['no-siblings'] === true) options.checkSiblings = false;
  return options;
}
