// Reads a model folder's config.json labels for the head matching of src/engine/classifier/headAlignment.ts,
// through the bounded readers (file size cap, id2label bounds) every model family uses, and matches a checkpoint's
// head rows to a run's labels with them.
import { join } from 'node:path';
import { alignHeadRows, configLabels, describeHeadAlignment, headRowTensors, placeholderLabels, remapHeadRows, type ConfigLabels, type RowTensor } from '../../classifier/headAlignment';
import { mixSeed, SeededRandom } from '../../seededRandom';
import { readJsonObject } from '../../tokenizer/tokenizerConfig';
import { labelsFromId2label } from './configBounds';

/**
 * `id2label` (in id order) and `model_type` of `<dir>/config.json`.
 * @throws EngineError(invalidModel) naming the file when it is unreadable or its id2label breaks the bounds.
 */
export async function readConfigLabels(dir: string): Promise<ConfigLabels> {
  const file = join(dir, 'config.json');
  const raw = (await readJsonObject(file)) ?? {};
  return configLabels(raw, labelsFromId2label(raw, file));
}

/**
 * Reorders (in `tensors`, HF names and layouts) a checkpoint's head rows to `labels` by the folder's id2label names
 * (`alignHeadRows`); rows for new labels are drawn from N(0, `initializerRange`²). A head whose row count differs
 * from its id2label, or that shares no label with `labels`, is dropped from `tensors` (so the family initialises it).
 * @param modelType names the head's per-label tensors (`headRowTensors`)
 * @returns the sentence for the log, when the head was not used as it is
 */
export async function matchHeadToLabels(dir: string, modelType: string, initializerRange: number, tensors: Map<string, RowTensor>, labels: readonly string[], seed: number): Promise<string | undefined> {
  const names = headRowTensors(modelType);
  const head = tensors.get(names[0]!);
  if (!head) return undefined;
  const rows = head.shape[0]!;
  const config = await readConfigLabels(dir);
  const headLabels = config.labels ?? placeholderLabels(rows);
  if (headLabels.length !== rows) {
    for (const n of names) tensors.delete(n);
    return `The checkpoint's classifier head has ${rows} rows but its id2label names ${headLabels.length} labels: the head cannot be matched to labels and is initialised anew.`;
  }
  const alignment = alignHeadRows(headLabels, config.labels === undefined || config.placeholder, labels);
  if (alignment.added.length === labels.length) {
    for (const n of names) tensors.delete(n);
  } else {
    const random = new SeededRandom(mixSeed(seed, 0x4ead));
    remapHeadRows(tensors, names, rows, alignment, initializerRange, () => random.normal());
  }
  return describeHeadAlignment(alignment, labels);
}
