// `classifier-workbench recommend <data> [--json]`: the base model the defaults would train on this data here —
// a local pretrained folder, a recommended Hub model with its download size and expected training time (nothing
// is downloaded), or the built-in n-gram model with the reason (offline, unreachable Hub, too slow here).
import { resolve } from 'node:path';
import { recommendModel, type RecommendOptions } from '../index';
import { describeDownloadSize, describeDuration, type ModelRecommendation } from '../../protocol/modelRecommendation';
import type { BackendName } from '../../protocol/train';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { datasetReadOptionSpecsWithoutModel, parseDatasetReadOptions } from './datasetReadOptions';
import { integerOption, numberOption } from './optionValues';
import { shellQuote } from './shellQuote';

const backends = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export const recommendCommand: CliCommand = {
  name: 'recommend',
  summary: 'Say which base model the defaults would train on a dataset here, with download size and expected time',
  description: [
    'A pretrained folder in the Hugging Face cache or the workspace comes first. Else, unless offline (--offline,',
    'HF_HUB_OFFLINE=1 or TRANSFORMERS_OFFLINE=1), the Hub (HF_ENDPOINT) is asked for the file listing and config.json',
    'of the recommended small encoders — never their weights — and the largest one expected to train within the',
    'time budget on this data and machine is proposed, with its download size and expected training time.',
    'Otherwise the built-in n-gram model, with the reason. Train the proposal with: train <data> --model <id>.',
  ].join('\n'),
  positionals: [{ name: 'data', description: 'the training file (or a folder holding train.jsonl)' }],
  options: [
    ...datasetReadOptionSpecsWithoutModel,
    { name: 'max-length', type: 'string', valueName: 'N', description: 'Token budget per text (default 128)' },
    { name: 'epochs', type: 'string', valueName: 'N', description: 'Epochs the run would train (default 3)' },
    { name: 'backend', type: 'string', valueName: 'B', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)' },
    { name: 'offline', type: 'boolean', description: 'Do not ask the Hub (as HF_HUB_OFFLINE=1)' },
    { name: 'timeout', type: 'string', valueName: 'SECONDS', description: 'Longest wait for one Hub answer (default 3)' },
    { name: 'budget', type: 'string', valueName: 'MINUTES', description: 'Longest expected training the proposal may take (default 20)' },
  ],
  async run(args, context) {
    const options: RecommendOptions = { ...parseDatasetReadOptions(args, context.cwd, 'recommend'), signal: context.signal };
    const maxLength = integerOption(args, 'max-length', 'recommend', { min: 8, max: 8192 });
    const epochs = integerOption(args, 'epochs', 'recommend', { min: 1, max: 1000 });
    const timeout = numberOption(args, 'timeout', 'recommend', { min: 0.1, max: 600 });
    const budget = numberOption(args, 'budget', 'recommend', { min: 0.1 });
    const backend = args.options.backend;
    if (typeof backend === 'string' && !backends.includes(backend)) throw new CliUsageError(`--backend must be one of ${backends.join(', ')} (got '${backend}').`, 'recommend');
    if (maxLength !== undefined) options.maxLength = maxLength;
    if (epochs !== undefined) options.epochs = epochs;
    if (timeout !== undefined) options.timeoutMs = timeout * 1000;
    if (budget !== undefined) options.timeBudgetSeconds = budget * 60;
    if (typeof backend === 'string') options.backend = backend as 'auto' | BackendName;
    if (args.options.offline === true) options.offline = true;
    const recommendation = await recommendModel(resolve(context.cwd, args.positionals[0]), options);
    context.stdout(context.json ? `${JSON.stringify(recommendation, null, 2)}\n` : formatRecommendation(recommendation));
    return ExitCodes.ok;
  },
};

/** The human summary: the model, then download and time for a Hub model, the reason, and how to train it. */
export function formatRecommendation(r: ModelRecommendation): string {
  const lines = [`Model: ${r.model}${r.mode === 'full' ? '' : ` (${r.mode})`}`];
  if (r.download) lines.push(`Download: ${describeDownloadSize(r.download.bytes)} (${r.download.files.length} files from ${r.download.endpoint}; nothing downloaded yet)`);
  if (r.estimate) lines.push(`Expected training time: ${describeDuration(r.estimate.seconds)} for ${r.estimate.epochs} epochs — ${r.estimate.basis}`);
  lines.push(`Why: ${r.reason}`);
  lines.push(`Train it: classifier-workbench train <data> --model ${shellQuote(r.model)}${r.mode === 'full' ? '' : ` --mode ${r.mode}`}`);
  return `${lines.join('\n')}\n`;
}
