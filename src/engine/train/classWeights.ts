// Class weights for imbalanced data (`classWeights: none | balanced | <file>`): turns the option and the training
// split into the ClassificationObjective every model trains with, plus one line saying what was used.
import { readFile } from 'node:fs/promises';
import { EngineErrorCodes } from '../../protocol/errors';
import type { ClassWeightsOption } from '../../protocol/train';
import { EngineError } from '../errors';
import { exampleLabels, type DatasetSplits } from '../data/example';
import type { ClassificationObjective } from '../models/nn/classificationObjective';

export interface ResolvedObjective {
  objective: ClassificationObjective;
  /** What run.json, the run header and report.md say, e.g. `balanced (0.52 "joy" … 4.9 "surprise")`. */
  summary: string;
}

/**
 * The objective of a run on `data` with `option`.
 * - `none`: every weight 1.
 * - `balanced`, single-label: class weight n / (K · n_c) (scikit-learn's `compute_class_weight('balanced')`),
 *   n_c = training examples of class c; multi-label: per label scikit-learn's binary `balanced` weights,
 *   positives n / (2·n_c) and negatives n / (2·(n − n_c)), i.e. class weight n / (2·(n − n_c)) and positive
 *   weight (n − n_c) / n_c (PyTorch's `pos_weight` recipe, negatives over positives), so each label's positives
 *   and negatives weigh the same in total. A label without training examples (or only positives) gets 1.
 * - a file path: a JSON object of label → weight (class weights), or `{"classWeights": {...}, "posWeights": {...}}`
 *   (positive weights: multi-label only); labels left out get 1.
 * @throws EngineError invalidOption naming the file (and the label) when the file cannot be read or is wrong.
 */
export async function resolveObjective(data: Pick<DatasetSplits, 'train' | 'labels' | 'multiLabel'>, option: ClassWeightsOption = 'none'): Promise<ResolvedObjective> {
  const problemType = data.multiLabel ? 'multi_label_classification' : 'single_label_classification';
  if (option === 'none') return { objective: { problemType }, summary: 'none' };
  const k = data.labels.length;
  if (option === 'balanced') {
    const counts = new Array<number>(k).fill(0);
    const index = new Map(data.labels.map((l, i) => [l, i]));
    for (const e of data.train) for (const label of exampleLabels(e)) counts[index.get(label)!]!++;
    const n = data.train.length;
    if (!data.multiLabel) {
      const classWeights = Float32Array.from(counts, (c) => (c === 0 ? 1 : n / (k * c)));
      return { objective: { problemType, classWeights }, summary: `balanced: class weights ${range(classWeights, data.labels)}` };
    }
    // Per label, scikit-learn's binary 'balanced': positives n / (2·n_c), negatives n / (2·(n − n_c)); as a
    // class weight on both terms times a positive weight, so the positive weight is PyTorch's neg/pos pos_weight.
    const classWeights = Float32Array.from(counts, (c) => (c === 0 || c === n ? 1 : n / (2 * (n - c))));
    const posWeights = Float32Array.from(counts, (c) => (c === 0 || c === n ? 1 : (n - c) / c));
    return { objective: { problemType, classWeights, posWeights }, summary: `balanced: positive weight per label ${range(posWeights, data.labels)}, negatives ${range(classWeights, data.labels)}` };
  }
  return fromFile(option, data.labels, problemType);
}

async function fromFile(file: string, labels: readonly string[], problemType: ClassificationObjective['problemType']): Promise<ResolvedObjective> {
  const fail = (detail: string) => new EngineError(EngineErrorCodes.invalidOption, `class weights: ${detail}`, { file });
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw fail(e.code === 'ENOENT' ? 'no such file; give none, balanced, or the path of a JSON file of label → weight' : `cannot read it as JSON (${e.message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('expected a JSON object of label → weight, e.g. {"surprise": 4, "joy": 0.5}');
  const record = parsed as Record<string, unknown>;
  const nested = Object.hasOwn(record, 'classWeights') || Object.hasOwn(record, 'posWeights');
  if (nested) {
    const extra = Object.keys(record).filter((key) => key !== 'classWeights' && key !== 'posWeights');
    if (extra.length > 0) throw fail(`unexpected key "${extra[0]}" beside classWeights/posWeights`);
  }
  const objective: ClassificationObjective = { problemType };
  const classWeights = nested ? record.classWeights : record;
  if (classWeights !== undefined) objective.classWeights = weightVector(classWeights, labels, nested ? 'classWeights' : '', fail);
  if (nested && record.posWeights !== undefined) {
    if (problemType !== 'multi_label_classification') throw fail('posWeights apply to multi-label data only (the label field holds lists); this dataset is single-label');
    objective.posWeights = weightVector(record.posWeights, labels, 'posWeights', fail);
  }
  const parts = [
    objective.classWeights ? `class weights ${range(objective.classWeights, labels)}` : '',
    objective.posWeights ? `positive weights ${range(objective.posWeights, labels)}` : '',
  ].filter((p) => p !== '');
  return { objective, summary: `from ${file}${parts.length ? `: ${parts.join('; ')}` : ''}` };
}

function weightVector(value: unknown, labels: readonly string[], where: string, fail: (detail: string) => EngineError): Float32Array {
  const at = where ? ` in ${where}` : '';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`expected an object of label → weight${at}`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const weights = new Float32Array(labels.length).fill(1);
  for (const [label, weight] of Object.entries(value as Record<string, unknown>)) {
    const id = index.get(label);
    if (id === undefined) throw fail(`label "${label}"${at} is not one of the dataset's labels (${labels.slice(0, 10).join(', ')}${labels.length > 10 ? ', …' : ''})`);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw fail(`the weight of "${label}"${at} must be a number ≥ 0, got ${JSON.stringify(weight)}`);
    weights[id] = weight;
  }
  return weights;
}

/** `0.52 "joy" … 4.9 "surprise"`: the smallest and largest weight with their labels. */
function range(weights: Float32Array, labels: readonly string[]): string {
  let lo = 0;
  let hi = 0;
  weights.forEach((w, i) => {
    if (w < weights[lo]!) lo = i;
    if (w > weights[hi]!) hi = i;
  });
  const show = (i: number) => `${Number(weights[i]!.toPrecision(3))} "${labels[i]}"`;
  return lo === hi ? `all ${Number(weights[lo]!.toPrecision(3))}` : `${show(lo)} … ${show(hi)}`;
}
