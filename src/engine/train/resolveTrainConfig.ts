// Fills a run's defaults (DESIGN.md "Model and training") and checks every option's range up front, so a
// bad option fails before any data is read.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { absoluteModelArgument } from '../../common/modelArgument';
import { NGRAM_HEADER_FILE } from '../models/ngram/ngramModel';
import { runPaths } from '../../common/runFolder/runRecord';
import { pathExists } from '../pathExists';
import { datasetFormatOf } from '../../common/datasetFormat';
import { datasetOpenError } from '../data/datasetOpenError';
import { findSiblingSplits } from '../data/findSiblingSplits';
import { readerFor } from '../data/readerFor';
import type { RecordSink } from '../data/recordSource';
import type { TrainConfigInput } from '../../protocol/runs';
import type { ClassWeightsOption, TrainConfig } from '../../protocol/train';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { chooseDefaultModel } from './chooseDefaultModel';
import { DEFAULT_NGRAM_OPTIONS } from '../models/ngram/ngramClassifier';
import { defaultNgramEpochs, modelDefaults, NGRAM_DEFAULTS, NGRAM_LINEAR_LEARNING_RATE } from '../../protocol/trainDefaults';

export { defaultNgramEpochs };

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
    throw datasetOpenError(input.dataset);
  }
  let model = input.model;
  if (!model) {
    const choice = await chooseDefaultModel(input.dataset, options.defaultModel);
    options.onNote?.(choice.reason);
    model = choice.model;
  }
  model = absoluteModelArgument(model, process.cwd());
  await refuseTrainedModelFolder(model);
  const mode = input.mode ?? 'full';
  if (!['full', 'feature-extraction', 'lora'].includes(mode)) throw invalid('mode', 'full, feature-extraction or lora', mode);
  const ngram = model === 'ngram';
  // The defaults the wizard quotes too (src/protocol/trainDefaults.ts).
  const defaults = modelDefaults(model, mode);
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
    epochs: input.epochs ?? (defaults.epochs === 'scaled' ? await ngramEpochs(input.dataset) : defaults.epochs),
    batchSize: input.batchSize ?? defaults.batchSize,
    learningRate: input.learningRate ?? defaults.learningRate,
    weightDecay: input.weightDecay ?? defaults.weightDecay,
    warmupRatio: input.warmupRatio ?? defaults.warmupRatio,
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
  if (ngram) config.ngram = { ...DEFAULT_NGRAM_OPTIONS, linearLearningRate: input.learningRate ?? NGRAM_LINEAR_LEARNING_RATE, ...input.ngram };
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
    throw new EngineError(EngineErrorCodes.invalidOption, 'option classWeights: no such file; give none, balanced, or the path of a JSON file of label → weight', { file, option: 'classWeights' });
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
  if (!info?.isFile() || info.size > COUNT_LINES_UP_TO_BYTES) return NGRAM_DEFAULTS.minEpochs;
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
    if (n.head !== undefined && n.head !== 'embedding' && n.head !== 'linear') throw invalid('ngram.head', 'embedding or linear', n.head);
    if (n.pooling !== undefined && !['mean', 'sqrt', 'l2'].includes(n.pooling)) throw invalid('ngram.pooling', 'mean, sqrt or l2', n.pooling);
    if (n.idf !== undefined && typeof n.idf !== 'boolean') throw invalid('ngram.idf', 'true or false', n.idf);
    if (n.linearLearningRate !== undefined && !(n.linearLearningRate > 0 && Number.isFinite(n.linearLearningRate))) throw invalid('ngram.linearLearningRate', 'a number > 0', n.linearLearningRate);
  }
}

function invalid(option: string, expected: string, actual: unknown): EngineError {
  return new EngineError(EngineErrorCodes.invalidOption, `option ${option} must be ${expected}, got ${JSON.stringify(actual)}`, { option });
}


/**
 * Refuses, before a run folder is made, a base model folder that holds a model this engine trained rather than a
 * Hugging Face encoder: an n-gram export (`ngram.json`), whose hashed n-gram table is no encoder to fine-tune, or a
 * run folder. Otherwise `resolveModel` would say "config.json is missing", which sends the user looking for a file.
 * @throws EngineError(invalidModel) naming the folder, what it is and what to do instead.
 */
async function refuseTrainedModelFolder(model: string): Promise<void> {
  if (!isAbsolute(model)) return;
  if (await pathExists(join(model, NGRAM_HEADER_FILE))) {
    throw EngineError.worded(EngineErrorCodes.invalidModel, (s) => `this is an n-gram model (${NGRAM_HEADER_FILE}), which cannot be fine-tuned further as a base model; ${s === 'cli'
      ? `use --model ngram to train a new n-gram model, or predict --model ${model} to use this one`
      : 'pick "Built-in n-gram model" in the Fine-tune dialogue to train a new one, or use "Set active model" on this folder to predict with it'}`, { file: model });
  }
  if (await pathExists(runPaths(model).runJson)) {
    throw EngineError.worded(EngineErrorCodes.invalidModel, (s) => `this is a run folder (run.json), not a base model; ${s === 'cli'
      ? `to continue it, runs resume ${model}; to fine-tune a transformer run further, export it and pass its model/ folder`
      : 'to continue it, resume it from the Runs view; to fine-tune a transformer run further, export it and pick its model/ folder'}`, { file: model });
  }
}
