// Evaluates a trained model on every example of one JSONL file (no splitting), for `classifier-workbench eval`.
import { resolve } from 'node:path';
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
import type { Predictor } from './predictor';

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
  const scan = await scanDatasetFile(path, { ...pickDatasetReadOptions(options), modelLabelNames: predictor.labels, signal: options.signal }, new ProblemCollector(20), (text, label, line, labels) => {
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
  if (examples.length === 0) {
    throw new EngineError(EngineErrorCodes.invalidDataset, `no line has a label the model knows (${predictor.labels.join(', ')})`, { file: path });
  }
  const goldIds = Int32Array.from(examples, (e) => (thresholds ? 0 : index.get(e.label)!));
  const probs = await predictor.predictProbs(examples.map((e) => e.text));
  const labelNamingNote = describeLabelNaming(scan);
  const metrics = thresholds
    ? computeMultiLabelMetrics(multiHot(examples.map((e) => e.labels!.map((l) => index.get(l)!)), predictor.labels.length), probs, thresholds, predictor.labels, 'test')
    : computeMetrics(goldIds, probs, predictor.labels, 'test');
  return { metrics, examples, probs, goldIds, unknownLabels, ...(labelNamingNote ? { labelNamingNote } : {}) };
}
