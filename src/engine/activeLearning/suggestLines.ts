// "Suggest lines to label": loads the model, scores every unlabeled line by uncertainty and picks a diverse batch.
// The library entry point behind the CLI's `suggest` and the `activeLearning/suggest` request.
import { resolve } from 'node:path';
import type { LabelSuggestion, SuggestLabelsParams, SuggestLabelsResult } from '../../protocol/activeLearning';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { pathExists } from '../pathExists';
import { loadPredictor } from '../predict/loadPredictor';
import { toTextPrediction } from '../predict/predictTexts';
import { readRun } from '../runs/runStore';
import { runPaths } from '../../common/runFolder/runRecord';
import { readUnlabeledTexts } from './readUnlabeledTexts';
import { selectBatch } from './selectBatch';
import { uncertaintyMeasures, uncertaintyScores } from './uncertainty';
import { normalizeForMatch } from './normalizeForMatch';

export const DEFAULT_SUGGESTIONS = 50;
// Texts per prediction call: bounds memory for transformer models and lets a cancel land between calls.
const PREDICT_BATCH = 256;

/**
 * The `n` unlabeled lines of `params.unlabeled` the model in `params.model` would learn most from, most
 * informative first, each with the model's guess and top-3 probabilities. Lines whose text already has a label
 * (in the unlabeled file itself, or in `labeledDataset`: by default the run's training file) and `excludeTexts`
 * are left out, compared case- and space-insensitively. The score is `uncertaintyScores` (margin by default) of
 * the run's calibrated probabilities when it has a temperature (`loadPredictor` applies it), else of the raw ones;
 * the batch is `selectBatch` (uncertainty + k-center diversity).
 * @throws EngineError(invalidDataset) for an unreadable file or one with no unlabeled line; (invalidOption) for
 *   a bad `n` or `measure`; (invalidModel/runState) from `loadPredictor`; (cancelled) when `signal` aborts.
 */
export async function suggestLinesToLabel(params: SuggestLabelsParams, options: { signal?: AbortSignal } = {}): Promise<SuggestLabelsResult> {
  const n = params.n ?? DEFAULT_SUGGESTIONS;
  const measure = params.measure ?? 'margin';
  if (!Number.isInteger(n) || n < 1) throw new EngineError(EngineErrorCodes.invalidOption, `the number of suggestions must be a whole number ≥ 1, got ${n}`);
  if (!uncertaintyMeasures.includes(measure)) throw new EngineError(EngineErrorCodes.invalidOption, `measure must be one of ${uncertaintyMeasures.join(', ')}, got ${String(measure)}`);
  const file = resolve(params.unlabeled);
  if (!(await pathExists(file))) throw new EngineError(EngineErrorCodes.invalidDataset, 'no such file; check the path of the unlabeled text', { file });
  const fields = { textField: params.textField, labelField: params.labelField, signal: options.signal };
  const pool = await readUnlabeledTexts(file, fields);

  const labeled = new Set(pool.labeledTexts.map(normalizeForMatch));
  const labeledDataset = params.labeledDataset ?? (await runDataset(params.model));
  if (labeledDataset && resolve(labeledDataset) !== file && (await pathExists(labeledDataset))) {
    for (const text of (await readUnlabeledTexts(labeledDataset, { ...fields, allowEmpty: true })).labeledTexts) labeled.add(normalizeForMatch(text));
  }
  const skipped = new Set((params.excludeTexts ?? []).map(normalizeForMatch));
  let excludedAsLabeled = 0;
  let excludedAsSkipped = 0;
  const candidates = pool.texts.filter(({ text }) => {
    const key = normalizeForMatch(text);
    if (labeled.has(key)) return excludedAsLabeled++, false;
    if (skipped.has(key)) return excludedAsSkipped++, false;
    return true;
  });

  const predictor = await loadPredictor(params.model, { revision: params.revision });
  try {
    const k = predictor.labels.length;
    const probs = new Float32Array(candidates.length * k);
    for (let start = 0; start < candidates.length; start += PREDICT_BATCH) {
      if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Suggesting lines to label was cancelled.');
      const batch = candidates.slice(start, start + PREDICT_BATCH).map((c) => c.text);
      probs.set(await predictor.predictProbs(batch), start * k);
    }
    const thresholds = predictor.thresholds;
    const uncertainty = uncertaintyScores(probs, k, { measure, ...(thresholds ? { thresholds } : {}) });
    // The batch is chosen for diversity, then shown most uncertain first (the order a person should label it in).
    const picked = (candidates.length ? selectBatch(candidates.map((c) => c.text), uncertainty, n) : []).sort((a, b) => uncertainty[b]! - uncertainty[a]! || a - b);
    const suggestions: LabelSuggestion[] = picked.map((i) => ({
      line: candidates[i]!.line,
      text: candidates[i]!.text,
      uncertainty: uncertainty[i]!,
      prediction: toTextPrediction(probs.subarray(i * k, (i + 1) * k), predictor.labels, { topK: Math.min(3, k), ...(thresholds ? { thresholds } : {}) }),
    }));
    return {
      file,
      format: pool.format,
      labels: [...predictor.labels],
      multiLabel: thresholds !== undefined,
      measure,
      // loadPredictor applies a run's temperature scaling to single-label predictions (not to multi-label ones).
      probabilities: predictor.calibration && !thresholds ? 'calibrated' : 'raw',
      poolSize: candidates.length,
      labeledLines: pool.labeledLines,
      excludedAsLabeled,
      excludedAsSkipped,
      unreadableLines: pool.unreadableLines,
      unreadable: pool.unreadable,
      suggestions,
    };
  } finally {
    predictor.dispose();
  }
}

/** The training file of a run folder, or undefined when `model` is not a run. */
async function runDataset(model: string): Promise<string | undefined> {
  if (!(await pathExists(runPaths(resolve(model)).runJson))) return undefined;
  return (await readRun(resolve(model))).config.dataset;
}
