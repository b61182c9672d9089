// A training run from start to end, whatever the model: resolve the config, load the data, evaluate a
// baseline, train the epochs (trainLoop.ts), restore the best checkpoint, evaluate the test set once and
// write every run file. `resumeRun` continues a stopped run from `checkpoints/last` to the same result.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { featureCacheDir } from '../models/nn/featureCache';
import type { ClassificationMetrics } from '../../protocol/metrics';
import type { TrainConfigInput } from '../../protocol/runs';
import type { RunStateName, TrainConfig, TrainEvent } from '../../protocol/train';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { loadRunData } from './loadRunData';
import type { DatasetSplits } from '../data/example';
import type { DatasetProblem, DatasetReport } from '../../protocol/dataset';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import { resolveTrainConfig } from './resolveTrainConfig';
import { createClassifier } from '../classifier/createClassifier';
import { claimRunDir, defaultRunsDir, makeRunId } from './runId';
import { evaluateSplit } from './evaluateSplit';
import { trainEpochs } from './trainLoop';
import { readTrainingCheckpoint, type EpochEvaluation, type TrainerState } from './trainerState';
import { EventLog } from '../runs/eventLog';
import { checkpointModelDir, runPaths, type RunMetricsFile, type RunRecord } from '../../common/runFolder/runRecord';
import { readRun, writeRun } from '../runs/runStore';
import { currentOwner, isOwnerAlive } from '../../common/runFolder/runOwner';
import { existingFolder, writeJsonAtomic, writeFileAtomic } from '../atomicWrite';
import { writePredictions } from '../runs/writePredictions';
import { resolveObjective } from './classWeights';
import { renderReport } from '../report/renderReport';
import { buildCalibrationReport } from '../metrics/calibration';
import type { CalibrationReport } from '../../protocol/calibration';
import { pathExists } from '../pathExists';
import { bothWordings } from '../../common/optionWording';

export interface RunOptions {
  /** Cancels the run within one training step; it ends `cancelled` with `checkpoints/last` kept. */
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
  /** Use this id (a folder made by `prepareRun`, or a new one under the runs folder). */
  runId?: string;
  /** The configured default model (settings), used when the config names none. */
  defaultModel?: string;
  /** Minimum time between progress events; default about 4 per second, 0 = every step. */
  progressIntervalMs?: number;
}

/** How a run ended. `baselineTest` is the untrained model on the test split, for the before/after table. */
export interface RunResult {
  runId: string;
  runDir: string;
  state: RunStateName;
  message?: string;
  config: TrainConfig;
  baseline: ClassificationMetrics | null;
  baselineTest: ClassificationMetrics | null;
  best: EpochEvaluation | null;
  test: ClassificationMetrics | null;
}

/** What metrics.json holds: defined with the run-folder format. */
export type { RunMetricsFile } from '../../common/runFolder/runRecord';

/**
 * Fills the config's defaults, picks a run id and creates the run folder with a `queued` run.json, without
 * training (so a server can answer at once and train later with `trainRun(config, {runId})`).
 */
export async function prepareRun(input: TrainConfigInput, options: Pick<RunOptions, 'onEvent' | 'runId' | 'defaultModel'> = {}): Promise<{ runId: string; runDir: string; config: TrainConfig }> {
  const notes: string[] = [];
  const config = await resolveTrainConfig(input, { onNote: (line) => notes.push(line), defaultModel: options.defaultModel });
  const runsDir = config.runsDir ?? defaultRunsDir(config.dataset);
  const existing = options.runId ? join(runsDir, options.runId) : undefined;
  if (existing && (await pathExists(runPaths(existing).runJson))) return { runId: options.runId!, runDir: existing, config: (await readRun(existing)).config };
  const { runId, runDir } = existing ? await claimExact(existing, options.runId!) : await claimRunDir(runsDir, makeRunId(config.dataset, config.model));
  const now = new Date().toISOString();
  const record: RunRecord = {
    // The owner from the start: a queued run whose process dies is then `interrupted` everywhere (runStateWithOwner).
    runId, state: 'queued', owner: currentOwner(), config, labels: [], backend: null, dataset: null, model: null, createdAt: now, updatedAt: now,
    progress: { epoch: 0, step: 0, stepsPerEpoch: 0, epochs: config.epochs }, best: null, test: null,
  };
  await writeRun(runDir, record);
  const log = new EventLog(runPaths(runDir).events);
  for (const message of notes) {
    const event: TrainEvent = { type: 'log', level: 'info', runId, message };
    log.append(event);
    options.onEvent?.(event);
  }
  return { runId, runDir, config };
}

/**
 * Trains a new run to its end and writes run.json, events.jsonl, checkpoints/{last,best}, predictions/,
 * metrics.json and report.md.
 * @param input the config; at least `dataset` (everything else has a default, see resolveTrainConfig).
 * @returns the final state and metrics; a cancelled run resolves with state `cancelled`.
 * @throws EngineError for bad data, model or options (the run is then recorded as `failed`).
 */
export async function trainRun(input: TrainConfigInput, options: RunOptions = {}): Promise<RunResult> {
  const { runId, runDir, config } = await prepareRun(input, options);
  return executeRun(runDir, runId, config, false, options);
}

/**
 * Trains a run `prepareRun` made (its run.json holds the resolved, validated config) to its end, without resolving
 * the config again: what the engine's job thread runs for `run/start`, and for a resume with no checkpoint.
 * @returns as `trainRun`.
 * @throws EngineError (runNotFound) when `runDir` holds no run.json; otherwise as `trainRun`.
 */
export async function trainPreparedRun(runDir: string, options: Omit<RunOptions, 'runId' | 'defaultModel'> = {}): Promise<RunResult> {
  const record = await readRun(runDir);
  return executeRun(runDir, record.runId, record.config, false, options);
}

/**
 * Continues a cancelled, interrupted or failed run from `checkpoints/last` (weights, optimiser, schedule, data
 * order, epoch and step, best-so-far, patience) and finishes it as an uninterrupted run with the same seed would.
 * A run stopped before its first checkpoint (killed during the baseline or its first epoch) has nothing to continue
 * from: it trains again from the start, in its own folder.
 * @throws EngineError (runState) when the run already completed, or its process still runs it, or its data changed.
 */
export async function resumeRun(runDir: string, options: Omit<RunOptions, 'runId' | 'defaultModel'> = {}): Promise<RunResult> {
  const record = await readRun(runDir);
  if (record.state === 'completed') throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} already completed; nothing to resume`, { file: runPaths(runDir).runJson });
  if ((record.state === 'running' || record.state === 'queued') && record.owner && isOwnerAlive(record.owner)) {
    throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} is still ${record.state} (process ${record.owner.pid}); stop it first`, { file: runPaths(runDir).runJson });
  }
  if ((await existingFolder(runPaths(runDir).lastCheckpoint)) === undefined) {
    const message = `run ${record.runId} stopped before its first checkpoint: training it again from the start`;
    new EventLog(runPaths(runDir).events).append({ type: 'log', level: 'info', runId: record.runId, message });
    options.onEvent?.({ type: 'log', level: 'info', runId: record.runId, message });
    return executeRun(runDir, record.runId, record.config, false, options);
  }
  // Refuse before touching the run's state when the checkpoint cannot be read.
  await readTrainingCheckpoint(runPaths(runDir).lastCheckpoint);
  return executeRun(runDir, record.runId, record.config, true, options);
}

async function executeRun(runDir: string, runId: string, config: TrainConfig, resume: boolean, options: RunOptions): Promise<RunResult> {
  const paths = runPaths(runDir);
  const log = new EventLog(paths.events);
  const emit = (event: TrainEvent) => {
    log.append(event);
    options.onEvent?.(event);
  };
  const record = await readRun(runDir);
  const setState = async (state: RunStateName, message?: string, editorMessage?: string) => {
    record.state = state;
    if (message) record.message = message;
    else delete record.message;
    if (message && editorMessage && editorMessage !== message) record.editorMessage = editorMessage;
    else delete record.editorMessage;
    if (state === 'completed' || state === 'failed' || state === 'cancelled') record.finishedAt = new Date().toISOString();
    if (state === 'running') record.owner = currentOwner();
    else delete record.owner;
    await writeRun(runDir, record);
    emit({ type: 'state', runId, state, ...(message ? { message } : {}), ...(record.editorMessage ? { editorMessage: record.editorMessage } : {}) });
  };
  const result: RunResult = { runId, runDir, state: 'running', config, baseline: null, baselineTest: null, best: null, test: null };
  let classifier: TrainableClassifier | undefined;
  await setState('running');
  try {
    const { splits: data, report: dataReport } = await loadRunData(config);
    const skipped = summarizeSkippedLines(dataReport);
    const empty = summarizeEmptyTexts(dataReport);
    if (empty && !resume) emit({ type: 'log', level: 'warn', runId, message: empty });
    if (dataReport.labelNaming && !resume) emit({ type: 'log', level: 'info', runId, message: dataReport.labelNaming });
    if (skipped && !resume) emit({ type: 'log', level: 'warn', runId, ...skippedLinesAdvice(skipped, config.dataset) });
    if (!resume) for (const message of labelSetWarnings(dataReport)) emit({ type: 'log', level: 'warn', runId, message });
    if (resume && record.dataset && record.dataset.fingerprint !== data.fingerprint) {
      throw new EngineError(EngineErrorCodes.runState, 'the dataset changed since this run started, so it cannot be resumed to the same result; start a new run', { file: config.dataset });
    }
    const { objective, summary: classWeights } = await resolveObjective(data, config.classWeights);
    record.problemType = objective.problemType;
    record.classWeights = classWeights;
    if (data.multiLabel) emit({ type: 'log', level: 'info', runId, message: `multi-label data (${data.labels.length} labels): sigmoid outputs, binary cross-entropy, per-label thresholds tuned on validation` });
    emit({ type: 'log', level: 'info', runId, message: `class weights: ${classWeights}` });
    record.labels = [...data.labels];
    record.dataset = {
      path: config.dataset, fingerprint: data.fingerprint, labels: [...data.labels],
      counts: { train: data.train.length, validation: data.validation.length, test: data.test.length }, splitSource: data.splitSource,
      ...(skipped ? { skippedLines: skipped } : {}),
      ...(data.splitNote ? { splitNote: data.splitNote } : {}),
    };
    if (data.splitNote && !resume) emit({ type: 'log', level: 'warn', runId, message: data.splitNote });
    classifier = await createClassifier(config, data.labels, {
      objective,
      signal: options.signal,
      // Where the runs are, which can be written to even when the dataset's folder cannot.
      cacheDir: featureCacheDir(dirname(runDir)),
      // On resume the base model is built first and the run's checkpoint then replaces its weights: say so, or a
      // note like "initialised for this run" would read as if the trained weights were lost.
      onLog: (message) => emit({ type: 'log', level: 'info', runId, message: resume ? `building ${config.model} before loading this run's checkpoint, which replaces its weights: ${message}` : message }),
    });
    // Before beginTraining, which can take minutes (feature extraction encodes the whole training set).
    const memory = classifier.describe().memory;
    if (memory) emit({ type: 'log', level: 'info', runId, message: `memory: ${memory.summary}` });
    const { stepsPerEpoch } = await classifier.beginTraining(data.train, { epochs: config.epochs, seed: config.seed });
    record.model = classifier.describe();
    record.backend = record.model.backend;
    const effectiveMaxLength = record.model.maxLength;
    if (effectiveMaxLength !== undefined && effectiveMaxLength < config.maxLength) {
      emit({ type: 'log', level: 'warn', runId, message: `max_length ${config.maxLength} is beyond the ${effectiveMaxLength} positions of ${record.model.source}: texts are cut at ${effectiveMaxLength} tokens (run.json records ${effectiveMaxLength})` });
      config.maxLength = effectiveMaxLength;
      record.config = { ...record.config, maxLength: effectiveMaxLength };
    }
    const m = record.model;
    emit({ type: 'log', level: 'info', runId, message: `model: ${m.kind} (${m.source}), ${m.parameters.toLocaleString('en-US')} parameters, ${m.trainableParameters.toLocaleString('en-US')} trained; backend ${m.backend}${m.backendNote ? ` (${m.backendNote})` : ''}` });
    record.progress = { epoch: 0, step: 0, stepsPerEpoch, epochs: config.epochs };
    await writeRun(runDir, record);

    let state: TrainerState & { baselineTest?: ClassificationMetrics | null };
    if (resume) {
      const saved = await readTrainingCheckpoint(paths.lastCheckpoint);
      await classifier.loadCheckpoint(checkpointModelDir(saved.dir));
      state = saved.state;
      record.progress = { epoch: state.epoch, step: state.step, stepsPerEpoch, epochs: config.epochs };
      await writeRun(runDir, record);
      const where = state.step >= stepsPerEpoch ? `with the evaluation of epoch ${state.epoch + 1}` : `at epoch ${state.epoch + 1}, step ${state.step + 1} of ${stepsPerEpoch}`;
      emit({ type: 'log', level: 'info', runId, message: `resuming ${where}` });
    } else {
      const baselineEvaluation = async () => {
        try {
          const validation = await evaluateSplit(classifier!, data.validation, 'validation', options.signal, { multiLabel: data.multiLabel, thresholds: 'tune' });
          const thresholds = validation.metrics.multiLabel?.thresholds;
          return [validation, data.test.length ? (await evaluateSplit(classifier!, data.test, 'test', options.signal, { multiLabel: data.multiLabel, thresholds })).metrics : null] as const;
        } catch (err) {
          if (!options.signal?.aborted) throw err;
          throw new EngineError(EngineErrorCodes.cancelled, 'cancelled during the baseline evaluation, before training started; start the run again');
        }
      };
      const [baseline, baselineTest] = await baselineEvaluation();
      state = {
        epoch: 0, step: 0, stepsPerEpoch, epochLossSum: 0, epochSamples: 0, bestEpoch: null, bestLoss: null,
        epochsWithoutImprovement: 0, stoppedEarly: false, baselineTest,
        evaluations: [{ epoch: 0, trainLoss: null, validation: baseline.metrics, isBest: false }],
      };
      emit({ type: 'epoch', runId, epoch: 0, trainLoss: null, validation: baseline.metrics, isBest: false });
      await writeMetricsFile(runDir, data, state, null);
    }
    const outcome = await trainEpochs({
      runId, runDir, config, data, classifier, state, signal: options.signal, emit, progressIntervalMs: options.progressIntervalMs,
      onEpochSaved: async (s) => {
        record.progress = { epoch: s.epoch, step: s.step, stepsPerEpoch, epochs: config.epochs };
        record.best = bestSummary(s);
        await writeRun(runDir, record);
        await writeMetricsFile(runDir, data, s, null);
      },
    });
    Object.assign(result, { baseline: state.evaluations[0]?.validation ?? null, baselineTest: state.baselineTest ?? null });
    if (outcome === 'cancelled') {
      record.progress = { epoch: state.epoch, step: state.step, stepsPerEpoch, epochs: config.epochs };
      const where = state.step >= stepsPerEpoch ? `before evaluating epoch ${state.epoch + 1}` : `in epoch ${state.epoch + 1} after ${state.step} of ${stepsPerEpoch} steps`;
      const message = `cancelled ${where}; resume continues from checkpoints/last`;
      await setState('cancelled', message);
      return { ...result, state: 'cancelled', message };
    }

    // Restore the best epoch's weights; the test split is evaluated once, with them.
    if (state.bestEpoch !== null) await classifier.loadCheckpoint(checkpointModelDir((await readTrainingCheckpoint(paths.bestCheckpoint)).dir));
    // Multi-label: each label's threshold is tuned on validation, and the test split is scored with those
    // thresholds (never tuned on test).
    const validation = await evaluateSplit(classifier, data.validation, 'validation', undefined, { multiLabel: data.multiLabel, thresholds: 'tune' });
    const thresholds = validation.metrics.multiLabel?.thresholds;
    if (thresholds) {
      record.thresholds = thresholds;
      emit({ type: 'log', level: 'info', runId, message: `thresholds tuned on validation: ${describeThresholds(thresholds, data.labels)}` });
    }
    // No test file next to a validation file means no test split: nothing to evaluate or write for it.
    const test = data.test.length ? await evaluateSplit(classifier, data.test, 'test', undefined, { multiLabel: data.multiLabel, thresholds }) : null;
    await writePredictions(paths.predictions('validation'), data.validation, validation.probs, data.labels, validation.goldIds, thresholds);
    if (test) await writePredictions(paths.predictions('test'), data.test, test.probs, data.labels, test.goldIds, thresholds);
    const testMetrics = test?.metrics ?? null;
    // Single-label: temperature scaling fitted on validation (never on test), judged by ECE on test.
    const calibration = !data.multiLabel && data.validation.length >= minCalibrationExamples && config.calibration !== 'none'
      ? buildCalibrationReport(validation, test, data.labels.length, { perClass: config.calibration === 'per-class' })
      : undefined;
    if (!data.multiLabel && config.calibration !== 'none' && !calibration) {
      emit({ type: 'log', level: 'info', runId, message: `calibration: not fitted, the validation split has ${data.validation.length} examples (at least ${minCalibrationExamples} are needed for a temperature that holds on new data)` });
    }
    if (calibration) {
      record.calibration = calibration.scaling;
      emit({ type: 'log', level: 'info', runId, message: describeCalibration(calibration) });
    }
    const metricsFile = await writeMetricsFile(runDir, data, state, testMetrics, calibration);
    if (testMetrics) emit({ type: 'test', runId, test: testMetrics });
    record.best = bestSummary(state);
    record.test = testMetrics ? { accuracy: testMetrics.accuracy, macroF1: testMetrics.macroF1, loss: testMetrics.loss } : null;
    record.progress = { epoch: state.epoch, step: 0, stepsPerEpoch, epochs: config.epochs };
    await setState('completed');
    await writeFileAtomic(paths.report, renderReport({ record, data, metrics: metricsFile, validationProbs: validation.probs, testProbs: test?.probs ?? new Float32Array(0) }));
    const best = state.evaluations.find((e) => e.epoch === state.bestEpoch) ?? null;
    return { ...result, state: 'completed', best, test: testMetrics };
  } catch (err) {
    const cancelled = err instanceof EngineError && err.code === EngineErrorCodes.cancelled;
    await setState(cancelled ? 'cancelled' : 'failed', (err as Error).message, err instanceof EngineError ? err.editorMessage : undefined).catch(() => undefined);
    throw err;
  } finally {
    classifier?.dispose();
  }
}

async function writeMetricsFile(runDir: string, data: DatasetSplits, state: TrainerState & { baselineTest?: ClassificationMetrics | null }, test: ClassificationMetrics | null, calibration?: CalibrationReport): Promise<RunMetricsFile> {
  const best = state.evaluations.find((e) => e.epoch === state.bestEpoch);
  const file: RunMetricsFile = {
    labels: [...data.labels],
    baseline: state.evaluations[0]?.validation ?? null,
    baselineTest: state.baselineTest ?? null,
    epochs: state.evaluations.filter((e) => e.epoch > 0),
    bestEpoch: state.bestEpoch,
    best: best?.validation ?? null,
    test,
    stoppedEarly: state.stoppedEarly,
  };
  if (data.multiLabel) file.multiLabel = true;
  if (calibration) file.calibration = calibration;
  await writeJsonAtomic(runPaths(runDir).metrics, file);
  return file;
}

/**
 * The log line on skipped lines with where to see them all: `classifier-workbench inspect <file>` on the CLI, the
 * Problems panel (filled by "Inspect dataset") in VS Code.
 * @returns `message` and, worded for VS Code, `editorMessage` (LogMessage's fields).
 */
export function skippedLinesAdvice(skipped: string, dataset: string): { message: string; editorMessage: string } {
  const { cli, vscode } = bothWordings((s) => `${skipped}; ${s === 'cli' ? `run \`classifier-workbench inspect ${dataset}\` for` : '"Inspect dataset" on the file lists, in the Problems panel,'} every problem with its line`);
  return { message: cli, editorMessage: vscode };
}

/** One line on the lines loadDataset skipped (`error` problems), or undefined when none were. */
function summarizeSkippedLines(report: DatasetReport): string | undefined {
  const errors = report.problemCounts.filter((p) => p.severity === 'error' && p.count > 0);
  if (errors.length === 0) return undefined;
  const total = errors.reduce((n, p) => n + p.count, 0);
  const first = report.problems.find((p) => p.severity === 'error');
  const where = first ? ` (first: ${first.file}:${first.line}: ${first.message})` : '';
  return `${total} line${total === 1 ? ' was' : 's were'} skipped: ${errors.map((p) => `${p.kind} ${p.count}`).join(', ')}${where}`;
}

/** Dataset problems that change what the classes are: said in every run's log, not only by `inspect`. */
const labelSetKinds: ReadonlySet<DatasetProblem['kind']> = new Set(['labelNotInTrain', 'labelVariants']);

/**
 * "validation.jsonl:31: Label "boredom" (…) is never seen in training; the model cannot learn it." — one log line per
 * `labelNotInTrain` / `labelVariants` problem of the dataset report (at most 5 per kind, then how many more).
 */
export function labelSetWarnings(report: Pick<DatasetReport, 'problems' | 'problemCounts'>): string[] {
  const lines: string[] = [];
  for (const kind of labelSetKinds) {
    const count = report.problemCounts.find((p) => p.kind === kind)?.count ?? 0;
    const shown = report.problems.filter((p) => p.kind === kind).slice(0, 5);
    for (const p of shown) lines.push(`${p.file}:${p.line}: ${p.message}`);
    if (count > shown.length) lines.push(`… and ${count - shown.length} more ${kind} warnings`);
  }
  return lines;
}

/**
 * "2 texts reach the model with no information (…:61, …:63): …" for the log, from the dataset report's
 * `uninformativeText` problems (checked without a tokenizer: no letter, digit or symbol), or undefined.
 */
function summarizeEmptyTexts(report: DatasetReport): string | undefined {
  const count = report.problemCounts.find((p) => p.kind === 'uninformativeText')?.count ?? 0;
  if (count === 0) return undefined;
  const lines = report.problems.filter((p) => p.kind === 'uninformativeText').slice(0, 5).map((p) => `${p.file}:${p.line}`);
  return `${count} text${count === 1 ? ' reaches' : 's reach'} the model with no information (${lines.join(', ')}${count > lines.length ? ', …' : ''}): only invisible characters or punctuation, so their labels can only be guessed`;
}

/**
 * Fewer validation examples than this and no temperature is fitted: on a handful of lines the NLL optimum runs to
 * the edge of the range (15 lines gave T ≈ 0.05, turning 0.92 into 1.00).
 */
export const minCalibrationExamples = 50;

/** `temperature 1.84 fitted on validation; test ECE 0.121 → 0.034` — the log line of a fitted calibration. */
export function describeCalibration(report: CalibrationReport): string {
  const t = report.scaling.perClass ? `per-class temperatures (geometric mean ${report.scaling.temperature.toFixed(2)})` : `temperature ${report.scaling.temperature.toFixed(2)}`;
  if (report.scaling.declined) return `calibration: the temperature fitted on validation (${report.scaling.declined.temperature.toFixed(2)}) would raise its ECE (${report.scaling.declined.eceBefore.toFixed(3)} → ${report.scaling.declined.eceAfter.toFixed(3)}); probabilities are kept as they are (T = 1)`;
  const where = report.test ? `test ECE ${report.test.eceBefore.toFixed(3)} → ${report.test.eceAfter.toFixed(3)}` : `validation ECE ${report.validation.eceBefore.toFixed(3)} → ${report.validation.eceAfter.toFixed(3)}`;
  return `calibration: ${t} fitted on validation; ${where}`;
}

/** `0.35 × 12, 0.5 × 9, …` — how many labels got each threshold, most common first. */
function describeThresholds(thresholds: readonly number[], labels: readonly string[]): string {
  const counts = new Map<number, number>();
  for (const t of thresholds) counts.set(t, (counts.get(t) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([t, n]) => `${t} × ${n}`);
  return `${common.join(', ')} (of ${labels.length} labels; run.json "thresholds" lists each)`;
}

function bestSummary(state: TrainerState): RunRecord['best'] {
  const best = state.evaluations.find((e) => e.epoch === state.bestEpoch);
  if (!best) return null;
  return { epoch: best.epoch, trainLoss: best.trainLoss, validationLoss: best.validation.loss, validationAccuracy: best.validation.accuracy, validationMacroF1: best.validation.macroF1 };
}

async function claimExact(runDir: string, runId: string): Promise<{ runId: string; runDir: string }> {
  await mkdir(runDir, { recursive: true });
  return { runId, runDir };
}
