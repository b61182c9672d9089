// Evaluates a trained model on every example of one JSONL file (no splitting), for `classifier-workbench eval`.
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { option } from '../../common/optionWording';
import type { ClassificationMetrics } from '../../protocol/metrics';
import type { Example } from '../data/example';
import { describeLabelNaming, scanDatasetFile } from '../data/scanDatasetFile';
import { pickDatasetReadOptions } from '../data/pickDatasetReadOptions';
import type { DatasetReadOptions } from '../../protocol/dataset';
import { ProblemCollector } from '../data/problemCollector';
import { computeMetrics } from '../metrics/classificationMetrics';
import { computeMultiLabelMetrics, multiHot } from '../metrics/multiLabelMetrics';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { runAbstainThreshold, type Predictor } from './predictor';

export interface FileEvaluation {
  metrics: ClassificationMetrics;
  examples: Example[];
  probs: Float32Array;
  /** Single-label: gold label id per example (multi-label models: 0; the gold sets are `examples[i].labels`). */
  goldIds: Int32Array;
  /** Examples skipped because their label is not one the model knows: label → count. */
  unknownLabels: Record<string, number>;
  /** Says that integer labels were named, and through what (`describeLabelNaming`), when they were. */
  labelNamingNote?: string;
  /**
   * Single-label predictors with a run abstain threshold (one, or per class): how many lines it answers (top
   * probability at or above the threshold of the predicted class) and the accuracy on those; the metrics above
   * count every line.
   */
  selective?: SelectiveResult;
}

export interface SelectiveResult {
  threshold: number | number[];
  answered: number;
  coverage: number;
  /** Accuracy on the answered lines (0 when none is answered). */
  accuracy: number;
}

/** Selective prediction at `threshold` (one, or per predicted class) on `[N × K]` probabilities. */
export function selectiveResult(probs: ArrayLike<number>, goldIds: ArrayLike<number>, k: number, threshold: number | readonly number[]): SelectiveResult {
  let answered = 0;
  let correct = 0;
  for (let i = 0; i < goldIds.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    const bar = typeof threshold === 'number' ? threshold : (threshold[best] ?? 0);
    if (probs[i * k + best]! < bar) continue;
    answered++;
    if (best === goldIds[i]) correct++;
  }
  return { threshold: typeof threshold === 'number' ? threshold : [...threshold], answered, coverage: goldIds.length ? answered / goldIds.length : 0, accuracy: answered ? correct / answered : 0 };
}

/**
 * Metrics of `predictor` on every usable line of `file`. Integer labels are named through `options.labelNames`,
 * else through the model's labels (its `id2label`): `chooseLabelNaming`.
 * @throws EngineError (invalidDataset) when no line has a label the model knows.
 */
export async function evaluateFile(predictor: Predictor, file: string, options: DatasetReadOptions & { signal?: AbortSignal } = {}): Promise<FileEvaluation> {
  const path = resolve(file);
  const index = new Map(predictor.labels.map((l, i) => [l, i]));
  const examples: Example[] = [];
  const unknownLabels: Record<string, number> = {};
  const thresholds = predictor.thresholds;
  const problems = new ProblemCollector(20);
  const scan = await scanDatasetFile(path, { ...pickDatasetReadOptions(options), modelLabelNames: predictor.labels, signal: options.signal }, problems, (text, label, line, labels) => {
    if (thresholds) {
      // Multi-label model: every line counts (one label reads as a list of one); unknown labels are dropped from its set.
      const known = (labels ?? [label]).filter((l) => {
        if (!index.has(l)) unknownLabels[l] = (unknownLabels[l] ?? 0) + 1;
        return index.has(l);
      });
      examples.push({ text, label: known.join(', '), labels: known, file: path, line });
    } else if (index.has(label)) examples.push({ text, label, file: path, line });
    else unknownLabels[label] = (unknownLabels[label] ?? 0) + 1;
  });
  if (scan.exampleCount === 0) throw noUsableLine(path, problems);
  if (examples.length === 0) {
    throw new EngineError(EngineErrorCodes.invalidDataset, `no line has a label the model knows (${predictor.labels.join(', ')})`, { file: path });
  }
  const goldIds = Int32Array.from(examples, (e) => (thresholds ? 0 : index.get(e.label)!));
  const probs = await predictor.predictProbs(examples.map((e) => e.text));
  const labelNamingNote = describeLabelNaming(scan);
  const metrics = thresholds
    ? computeMultiLabelMetrics(multiHot(examples.map((e) => e.labels!.map((l) => index.get(l)!)), predictor.labels.length), probs, thresholds, predictor.labels, 'test')
    : computeMetrics(goldIds, probs, predictor.labels, 'test');
  const abstain = thresholds ? undefined : runAbstainThreshold(predictor);
  const selective = abstain !== undefined ? selectiveResult(probs, goldIds, predictor.labels.length, abstain) : undefined;
  return { metrics, examples, probs, goldIds, unknownLabels, ...(labelNamingNote ? { labelNamingNote } : {}), ...(selective ? { selective } : {}) };
}

/**
 * Why a file gave no example at all — most often fields named otherwise than text/label, which `inspect` reports the
 * same way: the first problem, the fields of the line it is on (JSONL), and the options that name the fields.
 */
function noUsableLine(path: string, problems: ProblemCollector): EngineError {
  const first = problems.problems().find((p) => p.severity === 'error' && p.kind !== 'noExamples');
  const fields = first?.line ? fieldsOfLine(path, first.line) : undefined;
  const cause = first ? `line ${first.line}: ${first.message}` : 'the file has no line';
  return EngineError.worded(EngineErrorCodes.invalidDataset, (s) => `no line has a usable text and label: ${cause}${fields?.length
    ? ` The fields of line ${first!.line} are ${fields.map((f) => JSON.stringify(f)).join(', ')}: name the text and label fields with ${option('textField', s)} and ${option('labelField', s)}`
    : ` Name the text and label fields with ${option('textField', s)} and ${option('labelField', s)} if they have other names`}.`, { file: path });
}

/** The keys of the JSON object on 1-based `line` of a JSONL file (read from its first 1 MiB), or undefined. */
function fieldsOfLine(path: string, line: number): string[] | undefined {
  if (!/\.jsonl?$/i.test(path)) return undefined;
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      const text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
      const value: unknown = JSON.parse(text.split('\n')[line - 1] ?? '');
      return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).slice(0, 20) : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
