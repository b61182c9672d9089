// The flag of `train` and `export-job` for each TrainConfig option, so the engine's range errors (`option batchSize
// must be …`) name what the user typed (`--batch must be …`) and exit as the bad command line they are (64).
import { EngineError, formatEngineError } from '../index';
import { EngineErrorCodes } from '../../protocol/errors';
import type { CliInvocation } from './cliCommand';
import { CliUsageError } from './cliUsageError';

/** TrainConfig option (as EngineErrorData.option names it) → flag without dashes. */
export const trainOptionFlags: Readonly<Record<string, string>> = {
  mode: 'mode',
  epochs: 'epochs',
  batchSize: 'batch',
  learningRate: 'lr',
  weightDecay: 'weight-decay',
  warmupRatio: 'warmup-ratio',
  maxLength: 'max-length',
  gradientAccumulation: 'grad-accum',
  maxGradNorm: 'max-grad-norm',
  patience: 'patience',
  seed: 'seed',
  validationSplit: 'validation-split',
  classWeights: 'class-weights',
  backend: 'backend',
  workers: 'workers',
  'ngram.dim': 'ngram-dim',
  'ngram.wordNgrams': 'ngram-word-ngrams',
  'ngram.buckets': 'ngram-buckets',
  'ngram.head': 'ngram-head',
  'ngram.pooling': 'ngram-pooling',
  // --lr also sets the n-gram linear head's rate.
  'ngram.linearLearningRate': 'lr',
  gpus: 'gpus',
  nodes: 'nodes',
};

/**
 * `err` as a usage error naming the flag, when it is the engine's bad-value error for an option the command line set;
 * anything else is returned as it is.
 * @param command the command named in the usage hint.
 */
export function withFlagName(err: unknown, args: CliInvocation, command: string): unknown {
  if (!(err instanceof EngineError) || err.code !== EngineErrorCodes.invalidOption || !err.data.option) return err;
  const flag = trainOptionFlags[err.data.option];
  if (!flag || args.options[flag] === undefined) return err;
  const detail = err.data.detail.replace(`option ${err.data.option}`, `--${flag}`);
  return new CliUsageError(`${formatEngineError(detail, { ...err.data, option: undefined })}.`, command);
}
