// Fills a run's defaults (DESIGN.md "Model and training") and checks every option's range up front, so a
// bad option fails before any data is read.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { datasetFormatOf } from '../../common/datasetFormat';
import { findSiblingSplits } from '../data/findSiblingSplits';
import { readerFor } from '../data/readerFor';
import type { RecordSink } from '../data/recordSource';
import type { TrainConfigInput } from '../../protocol/runs';
import type { ClassWeightsOption, TrainConfig, TrainMode } from '../../protocol/train';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { chooseDefaultModel } from './chooseDefaultModel';
import { DEFAULT_NGRAM_OPTIONS } from '../models/ngram/ngramClassifier';

/** Learning rates by mode: full fine-tuning moves a pretrained encoder gently; head-only modes can go faster. */
const LEARNING_RATE: Record<TrainMode, number> = { full: 2e-5, 'feature-extraction': 1e-3, lora: 5e-4 };

/** A randomly initialised transformer has nothing to preserve: it needs a larger rate and more epochs. */
const SCRATCH_DEFAULTS = { epochs: 5, learningRate: 5e-4 };

/** The n-gram model's own defaults (bench/ngram.ts): plain per-example SGD, rate 0.2 decaying to 0, no decay. */
const NGRAM_DEFAULTS = { epochs: 8, batchSize: 32, learningRate: 0.2, weightDecay: 0, warmupRatio: 0 };
/**
 * Small datasets need more passes: 8 epochs of 16,000 tweets are 128,000 updates, 8 epochs of 300 tickets only
 * 2,400, which underfits. The n-gram default is therefore about this many updates, within [8, 50] epochs
 * (early stopping still ends a run when validation loss stops improving).
 */
const NGRAM_TARGET_UPDATES = 40_000;
const NGRAM_MAX_EPOCHS = 50;
/** Files above this size are large enough for the minimum number of epochs; smaller ones are counted. */
const COUNT_LINES_UP_TO_BYTES = 8 * 1024 * 1024;

/**
 * A complete TrainConfig from what the caller set.
 * @param input at least `dataset`; anything unset takes the default for the chosen model and mode.
 * @param options.onNote receives one line saying which default model was chosen and why, when `model` was unset.
 * @param options.defaultModel the configured default model (settings), used when `model` is unset.
 * @throws EngineError (invalidOption) naming the option, the expected and the actual value.
 */
export async function resolveTrainConfig(input: TrainConfigInput, options: { onNote?: (line: string) => void; defaultModel?: string } = {}): Promise<TrainConfig> {
  if (!input.dataset) throw invalid('dataset', 'a path to a JSONL file', input.dataset);
  // A mistyped path should not leave a failed run folder next to a file that does not exist.
  if (!(await stat(input.dataset).catch(() => undefined))) {
    throw new EngineError(EngineErrorCodes.invalidDataset, 'no such file or folder; check the path of the training data', { file: input.dataset });
  }
  let model = input.model;
  if (!model) {
    const choice = await chooseDefaultModel(input.dataset, options.defaultModel);
    options.onNote?.(choice.reason);
    model = choice.model;
  }
  const mode = input.mode ?? 'full';
  if (!['full', 'feature-extraction', 'lora'].includes(mode)) throw invalid('mode', 'full, feature-extraction or lora', mode);
  const ngram = model === 'ngram';
  const scratch = model === 'scratch' && mode === 'full';
  const config: TrainConfig = {
    dataset: input.dataset,
    ...(input.textField ? { textField: input.textField } : {}),
    ...(input.labelField ? { labelField: input.labelField } : {}),
    ...(input.labelNames?.length ? { labelNames: [...input.labelNames] } : {}),
    ...(input.chatContext && input.chatContext !== 'lastUser' ? { chatContext: input.chatContext } : {}),
    ...(input.labelDelimiter ? { labelDelimiter: input.labelDelimiter } : {}),
    model,
    ...(input.revision && !ngram && model !== 'scratch' ? { revision: input.revision } : {}),
    mode: ngram ? 'full' : mode,
    epochs: input.epochs ?? (ngram ? await ngramEpochs(input.dataset) : scratch ? SCRATCH_DEFAULTS.epochs : 3),
    batchSize: input.batchSize ?? (ngram ? NGRAM_DEFAULTS.batchSize : 16),
    learningRate: input.learningRate ?? (ngram ? NGRAM_DEFAULTS.learningRate : scratch ? SCRATCH_DEFAULTS.learningRate : LEARNING_RATE[mode]),
    weightDecay: input.weightDecay ?? (ngram ? NGRAM_DEFAULTS.weightDecay : 0.01),
    warmupRatio: input.warmupRatio ?? (ngram ? NGRAM_DEFAULTS.warmupRatio : 0.1),
    maxLength: input.maxLength ?? 128,
    gradientAccumulation: input.gradientAccumulation ?? 1,
    maxGradNorm: input.maxGradNorm ?? 1,
    patience: input.patience ?? 2,
    seed: input.seed ?? 42,
    validationSplit: input.validationSplit ?? 0.1,
    classWeights: await resolveClassWeightsOption(input.classWeights),
    ...(input.calibration && input.calibration !== 'temperature' ? { calibration: checkCalibration(input.calibration) } : {}),
    backend: input.backend ?? 'auto',
    ...(input.backendFallback ? { backendFallback: true } : {}),
    workers: input.workers ?? 0,
    ...(input.runsDir ? { runsDir: input.runsDir } : {}),
  };
  if (mode === 'lora' && !ngram) config.lora = { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'], ...input.lora };
  if (ngram) config.ngram = { ...DEFAULT_NGRAM_OPTIONS, ...input.ngram };
  checkConfig(config);
  return config;
}

function checkCalibration(value: string): TrainConfig['calibration'] {
  if (value !== 'per-class' && value !== 'none') throw invalid('calibration', 'temperature, per-class or none', value);
  return value;
}

/** `none`, `balanced`, or an existing file (made absolute, so a queued run does not depend on the working folder). */
async function resolveClassWeightsOption(value: TrainConfigInput['classWeights']): Promise<ClassWeightsOption> {
  if (value === undefined || value === 'none' || value === 'balanced') return value ?? 'none';
  if (typeof value !== 'string' || value.trim() === '') throw invalid('classWeights', 'none, balanced, or the path of a JSON file of label → weight', value);
  const file = resolve(value);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    throw new EngineError(EngineErrorCodes.invalidOption, 'option classWeights: no such file; give none, balanced, or the path of a JSON file of label → weight', { file });
  }
  return file;
}

/**
 * Default n-gram epochs for a training file (or a folder with train.jsonl, train.csv, ...), from its number of
 * lines (JSONL) or records (CSV, TSV: rows after the header, quoted line breaks inside; Parquet: rows), so the
 * same data in any format trains for the same epochs.
 */
async function ngramEpochs(dataset: string): Promise<number> {
  const file = findSiblingSplits(dataset).train;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > COUNT_LINES_UP_TO_BYTES) return NGRAM_DEFAULTS.epochs;
  const format = datasetFormatOf(file);
  if (format !== undefined && format !== 'jsonl') {
    let records = 0;
    const sink: RecordSink = { columns: () => [], record: () => void records++, problem: () => undefined };
    const summary = await readerFor(file)(file, sink, {});
    return defaultNgramEpochs(format === 'parquet' ? summary.lines : records);
  }
  const text = await readFile(file, 'utf8');
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  if (!text.endsWith('\n') && text.length > 0) lines++;
  return defaultNgramEpochs(lines);
}

/**
 * The n-gram model's default number of epochs for `exampleCount` training examples: about 40,000 updates,
 * at least 8 and at most 50 epochs. Use it wherever the n-gram model is trained (e.g. out-of-fold models).
 */
export function defaultNgramEpochs(exampleCount: number): number {
  return Math.min(NGRAM_MAX_EPOCHS, Math.max(NGRAM_DEFAULTS.epochs, Math.ceil(NGRAM_TARGET_UPDATES / Math.max(1, exampleCount))));
}

function checkConfig(c: TrainConfig): void {
  const positiveInt = (name: keyof TrainConfig, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw invalid(name, 'a whole number ≥ 1', v);
  };
  positiveInt('epochs', c.epochs);
  positiveInt('batchSize', c.batchSize);
  positiveInt('maxLength', c.maxLength);
  positiveInt('gradientAccumulation', c.gradientAccumulation);
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate)) throw invalid('learningRate', 'a number > 0', c.learningRate);
  if (!(c.weightDecay >= 0)) throw invalid('weightDecay', 'a number ≥ 0', c.weightDecay);
  if (!(c.warmupRatio >= 0 && c.warmupRatio < 1)) throw invalid('warmupRatio', 'a number in [0, 1)', c.warmupRatio);
  if (!(c.maxGradNorm >= 0)) throw invalid('maxGradNorm', 'a number ≥ 0 (0 = no clipping)', c.maxGradNorm);
  if (!Number.isInteger(c.patience) || c.patience < 0) throw invalid('patience', 'a whole number ≥ 0 (0 = no early stopping)', c.patience);
  if (!Number.isInteger(c.seed)) throw invalid('seed', 'a whole number', c.seed);
  if (!(c.validationSplit > 0 && c.validationSplit < 0.5)) throw invalid('validationSplit', 'a fraction in (0, 0.5)', c.validationSplit);
  if (!Number.isInteger(c.workers) || c.workers < 0) throw invalid('workers', 'a whole number ≥ 0 (0 = one per core)', c.workers);
  if (!['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(c.backend)) throw invalid('backend', 'auto, tensorflow-gpu, tensorflow, wasm or cpu', c.backend);
  if (c.ngram) {
    const n = c.ngram;
    if (!Number.isInteger(n.dim) || n.dim! < 1) throw invalid('ngram.dim', 'a whole number ≥ 1', n.dim);
    if (!Number.isInteger(n.wordNgrams) || n.wordNgrams! < 1) throw invalid('ngram.wordNgrams', 'a whole number ≥ 1', n.wordNgrams);
    if (!Number.isInteger(n.buckets) || n.buckets! < 1 || n.buckets! > 2 ** 31) throw invalid('ngram.buckets', 'a whole number in [1, 2^31]', n.buckets);
  }
}

function invalid(option: string, expected: string, actual: unknown): EngineError {
  return new EngineError(EngineErrorCodes.invalidOption, `option ${option} must be ${expected}, got ${JSON.stringify(actual)}`);
}
