// Label-issue detection for a dataset file, end to end: load it, judge every line of that file with
// out-of-fold models, and (for a run) keep the report as the run's label-issues.json. The RPC and CLI call this.
import { join, resolve } from 'node:path';
import type { LabelIssuesFindParams } from '../../protocol/labelIssues';
import type { LabelIssueJudge, LabelIssueReport } from '../../protocol/labelIssueReport';
import type { TrainConfig } from '../../protocol/train';
import { loadDatasetWithReport } from '../data/loadDataset';
import { writeJsonAtomic } from '../atomicWrite';
import { detectLabelIssues } from './detectLabelIssues';
import { detectMultiLabelIssues } from './multiLabel/detectMultiLabelIssues';
import { createFoldClassifierFactory } from './foldClassifierFactory';
import { createEncoderJudge } from './encoderJudge';
import type { FilterBy } from './findIssues';
import type { FoldClassifierFactory, OutOfFoldProgress } from './outOfFoldProbs';
import { pickDatasetReadOptions } from '../data/pickDatasetReadOptions';

export interface FindLabelIssuesInDatasetOptions {
  signal?: AbortSignal;
  onProgress?: (progress: OutOfFoldProgress) => void;
  /** Selection rule, default `belowChance` (see `FilterBy`). */
  filterBy?: FilterBy;
  /** Share of the estimated label errors to flag, default 0.5. */
  fracNoise?: number;
  /**
   * Transformer mode for a non-ngram model when `params.mode` is unset: `feature-extraction` (default) embeds every
   * line once and trains a linear head per fold (`createEncoderJudge`); `full` fine-tunes the model per fold.
   */
  mode?: 'full' | 'feature-extraction';
  /** Overrides of the model's resolved defaults (`maxLength`, `workers`, `backend`, epochs of per-fold training). */
  overrides?: Partial<TrainConfig>;
  /** Feature cache folder of the encoder judge; default `<dataset folder>/.classifier-workbench/cache/features`. */
  cacheDir?: string;
}

/**
 * Repetitions of the k-fold split when the caller names none: 3 for the n-gram model (seconds each; averaging
 * three splits raised precision at recall 0.8 on emotion with 5 % flips from 0.77 to 0.82, see the issue-19
 * note), 1 for a transformer (each repetition trains k more models).
 */
export function defaultRepeats(model: string): number {
  return model === 'ngram' ? 3 : 1;
}

/**
 * Returns the label-issue report of `params.dataset`: every usable line of that file (whatever split it fell
 * in) is judged by a model trained on the other folds. With `runDir`, also writes `<runDir>/label-issues.json`.
 * The judge (`report.judge`): the n-gram model per fold; for an encoder in feature-extraction mode (the default for
 * one), its embeddings of every line, computed once, with a linear head per fold; with `mode: full`, the encoder
 * fine-tuned per fold.
 * @param params dataset path, optional fields, `model` (default `ngram`), `folds` (5), `seed` (42), `runDir`.
 * @throws EngineError invalidDataset (file and line) when the data cannot be used, invalidModel, cancelled.
 */
export async function findLabelIssuesInDataset(params: LabelIssuesFindParams, options: FindLabelIssuesInDatasetOptions = {}): Promise<LabelIssueReport> {
  const started = performance.now();
  const dataset = resolve(params.dataset);
  const { splits, report: datasetReport } = await loadDatasetWithReport(dataset, { ...pickDatasetReadOptions(params), seed: params.seed });
  // Sibling validation/test files are other files; a single file was split three ways and all of it is judged.
  const examples = [...splits.train, ...splits.validation, ...splits.test].filter((e) => e.file === dataset).sort((a, b) => a.line - b.line);
  const model = params.model ?? 'ngram';
  const multiLabel = splits.multiLabel === true;
  const mode = params.mode ?? options.mode ?? 'feature-extraction';
  const folds = params.folds ?? 5;
  const repeats = params.repeats ?? defaultRepeats(model);
  const choice = { model, revision: params.revision, mode, dataset, overrides: options.overrides,
    ...(multiLabel ? { objective: { problemType: 'multi_label_classification' as const } } : {}) };
  // The encoder judge embeds every line before any fold trains: that is most of its time, so most of the bar.
  const encodeShare = model !== 'ngram' && mode === 'feature-extraction' ? 0.8 : 0;
  let factory: FoldClassifierFactory;
  let judge: LabelIssueJudge;
  if (encodeShare > 0) {
    ({ factory, judge } = await createEncoderJudge(choice, examples, splits.labels, {
      signal: options.signal,
      cacheDir: options.cacheDir,
      onProgress: (done, missing) => options.onProgress?.({ fold: 0, folds, repeat: 0, repeats, phase: 'encode', step: done, totalSteps: missing, fraction: encodeShare * (done / Math.max(1, missing)) }),
    }));
  } else {
    ({ factory } = await createFoldClassifierFactory(choice));
    judge = model === 'ngram'
      ? { kind: 'ngram', model, summary: 'the built-in n-gram model, trained per fold' }
      : { kind: 'fine-tuned', model, summary: `${model} fine-tuned per fold (full fine-tuning)` };
  }
  const report = await (multiLabel ? detectMultiLabelIssues : detectLabelIssues)(examples, splits.labels, {
    createClassifier: factory,
    modelName: model,
    dataset,
    folds,
    repeats,
    seed: params.seed,
    filterBy: options.filterBy,
    fracNoise: options.fracNoise,
    signal: options.signal,
    onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, fraction: encodeShare + (1 - encodeShare) * p.fraction })),
  });
  report.judge = judge;
  report.seconds = (performance.now() - started) / 1000;
  // The editor needs the field names to find (and relabel) the label in each line, by the rule the engine read it.
  if (datasetReport.fields) report.fieldMapping = datasetReport.fields;
  if (datasetReport.fields?.format === 'fields') {
    report.textField = datasetReport.fields.textField;
    report.labelField = datasetReport.fields.labelField;
  }
  if (params.runDir) await writeJsonAtomic(join(params.runDir, 'label-issues.json'), report);
  return report;
}
