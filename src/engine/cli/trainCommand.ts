// `classifier-workbench train <file.jsonl>`: trains a run with every TrainConfig option as a flag.
import { resolve } from 'node:path';
import type { TrainConfigInput } from '../../protocol/runs';
import type { BackendName, NgramOptions, TrainMode } from '../../protocol/train';
import { trainRun } from '../index';
import type { CliCommand, CliInvocation, CliOptionSpec } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { datasetReadOptionSpecs, parseDatasetReadOptions } from './datasetReadOptions';
import { TrainEventPrinter } from './trainEventPrinter';
import { withFlagName } from './trainOptionFlags';
import { envDefaultModel } from './resolveRunDir';
import { absoluteModelArgument } from '../../common/modelArgument';

const num = (name: string, valueName: string, description: string): CliOptionSpec => ({ name, type: 'string', valueName, description });

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train a classifier on a JSONL file; prints baseline and final metrics',
  description: [
    'Sibling validation/test files are used when present (else a stratified 80/10/10 split).',
    'Without --model: $CLASSIFIER_WORKBENCH_MODEL if set, else a pretrained BERT-family model found locally',
    '(Hugging Face cache, or a models/ folder near the data), else the built-in n-gram model.',
    'The run folder (default <dataset folder>/.classifier-workbench/runs/<run-id>) holds run.json, metrics.json,',
    'predictions, report.md and checkpoints. Ctrl+C (or SIGTERM, SIGHUP) stops cleanly; `runs resume` continues.',
  ].join('\n'),
  positionals: [{ name: 'file.jsonl', description: 'the training data (or a folder holding train.jsonl)' }],
  options: [
    { name: 'model', type: 'string', short: 'm', valueName: 'M', description: 'ngram, scratch, a model folder or a Hugging Face id (default: $CLASSIFIER_WORKBENCH_MODEL, else a pretrained model found locally, else ngram)' },
    { name: 'revision', type: 'string', valueName: 'REV', description: 'with a Hugging Face id: branch, tag, commit or refs/pr/N (default main)' },
    { name: 'mode', type: 'string', valueName: 'MODE', description: 'full | feature-extraction | lora (default full)' },
    num('epochs', 'N', 'Epochs (default 3; scratch 5; n-gram 8 to 50, more for small data)'),
    num('batch', 'N', 'Batch size (default 16; n-gram 32)'),
    num('lr', 'X', 'Learning rate (default 2e-5 full, 1e-3 feature-extraction, 5e-4 lora or scratch, 0.2 n-gram)'),
    num('weight-decay', 'X', 'Decoupled weight decay (default 0.01; n-gram 0)'),
    num('warmup-ratio', 'X', 'Fraction of steps for linear warm-up (default 0.1)'),
    num('max-length', 'N', 'Max tokens per text (default 128)'),
    num('grad-accum', 'N', 'Gradient accumulation steps (default 1)'),
    num('max-grad-norm', 'X', 'Gradient clipping norm, 0 = off (default 1)'),
    num('patience', 'N', 'Early stopping: epochs without validation-loss improvement, 0 = off (default 2)'),
    num('seed', 'N', 'Random seed (default 42)'),
    num('validation-split', 'X', 'Validation fraction when there is no sibling file (default 0.1)'),
    { name: 'class-weights', type: 'string', valueName: 'W', description: 'none | balanced | a JSON file of label → weight, or {"classWeights": {...}, "posWeights": {...}} (default none)' },
    { name: 'backend', type: 'string', valueName: 'B', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)' },
    num('workers', 'N', 'Worker threads, 0 = one per core (default 0)'),
    { name: 'runs-dir', type: 'string', valueName: 'DIR', description: 'Where runs are stored' },
    ...datasetReadOptionSpecs,
    num('lora-rank', 'N', 'LoRA rank (default 8)'),
    num('lora-alpha', 'X', 'LoRA alpha (default 16)'),
    num('lora-dropout', 'X', 'LoRA dropout (default 0.1)'),
    { name: 'lora-targets', type: 'string', valueName: 'LIST', description: 'LoRA targets, comma-separated (default query,value)' },
    num('ngram-dim', 'N', 'n-gram embedding size (default 32)'),
    num('ngram-word-ngrams', 'N', 'n-gram: word n-grams up to N (default 2)'),
    num('ngram-char-min', 'N', 'n-gram: shortest character n-gram (default 3)'),
    num('ngram-char-max', 'N', 'n-gram: longest character n-gram, 0 = none (default 5)'),
    num('ngram-buckets', 'N', 'n-gram: hash buckets (default 4194304)'),
    { name: 'ngram-head', type: 'string', valueName: 'H', description: 'n-gram: embedding | linear (default linear for multi-label data, else embedding)' },
    { name: 'ngram-pooling', type: 'string', valueName: 'P', description: 'n-gram: mean | sqrt | l2 (default l2 for a linear head, else sqrt)' },
  ],
  async run(args, context) {
    const input = trainConfigFromArgs(args, context.cwd);
    const printer = new TrainEventPrinter(context);
    // The CLI's counterpart of the extension's default-model setting; the library itself reads no settings.
    const defaultModel = envDefaultModel(context.cwd);
    const result = await trainRun(input, { signal: context.signal, onEvent: printer.onEvent, defaultModel }).catch((err: unknown) => {
      throw withFlagName(err, args, 'train');
    });
    return printer.finish(result);
  },
};

/** The TrainConfig a command line asks for (unset flags stay unset: the engine fills defaults). */
export function trainConfigFromArgs(args: CliInvocation, cwd: string): TrainConfigInput {
  const o = args.options;
  const str = (name: string) => (typeof o[name] === 'string' ? (o[name] as string) : undefined);
  const number = (name: string) => {
    const v = str(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new CliUsageError(`--${name} must be a number (got '${v}').`, 'train');
    return n;
  };
  const input: TrainConfigInput = { dataset: resolve(cwd, args.positionals[0]!), ...parseDatasetReadOptions(args, cwd, 'train') };
  const set = <K extends keyof TrainConfigInput>(key: K, value: TrainConfigInput[K] | undefined) => {
    if (value !== undefined) input[key] = value;
  };
  const model = str('model');
  // A model that is a path is resolved against the working directory; `ngram`, `scratch` and hub ids stay as given.
  set('model', model ? absoluteModelArgument(model, cwd) : undefined);
  set('revision', str('revision'));
  set('mode', str('mode') as TrainMode | undefined);
  set('epochs', number('epochs'));
  set('batchSize', number('batch'));
  set('learningRate', number('lr'));
  set('weightDecay', number('weight-decay'));
  set('warmupRatio', number('warmup-ratio'));
  set('maxLength', number('max-length'));
  set('gradientAccumulation', number('grad-accum'));
  set('maxGradNorm', number('max-grad-norm'));
  set('patience', number('patience'));
  set('seed', number('seed'));
  set('validationSplit', number('validation-split'));
  const classWeights = str('class-weights');
  set('classWeights', classWeights === undefined || classWeights === 'none' || classWeights === 'balanced' ? classWeights : resolve(cwd, classWeights));
  set('backend', str('backend') as 'auto' | BackendName | undefined);
  set('workers', number('workers'));
  const runsDir = str('runs-dir');
  set('runsDir', runsDir ? resolve(cwd, runsDir) : undefined);
  const lora = { rank: number('lora-rank'), alpha: number('lora-alpha'), dropout: number('lora-dropout'), targets: str('lora-targets')?.split(',').map((t) => t.trim()) };
  const loraSet = Object.fromEntries(Object.entries(lora).filter(([, v]) => v !== undefined));
  if (Object.keys(loraSet).length) input.lora = loraSet as NonNullable<TrainConfigInput['lora']>;
  const ngram = { dim: number('ngram-dim'), wordNgrams: number('ngram-word-ngrams'), charMin: number('ngram-char-min'), charMax: number('ngram-char-max'), buckets: number('ngram-buckets'),
    head: str('ngram-head') as NgramOptions['head'], pooling: str('ngram-pooling') as NgramOptions['pooling'] };
  const ngramSet = Object.fromEntries(Object.entries(ngram).filter(([, v]) => v !== undefined));
  if (Object.keys(ngramSet).length) input.ngram = ngramSet;
  return input;
}
