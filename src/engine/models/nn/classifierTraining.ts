// The parts of a TrainableClassifier's training that do not depend on the network: label ids of examples, a shard's
// loss coefficients, right-padded token batches, and the optimiser state in checkpoints. Shared by the BERT family
// (bert/bertClassifier.ts) and ModernBERT (modernbert/modernbertClassifier.ts).
import { exampleLabels, type Example } from '../../data/example';
import { lossCoefficients, type ClassificationObjective } from './classificationObjective';
import { readCheckpointFiles, writeCheckpointFiles } from './checkpointFiles';
import type { AdamW } from './adamW';
import type { ParamStore } from './paramStore';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/**
 * Each example's label ids (one, or a multi-label set) in `labels`' order.
 * @throws EngineError(invalidDataset) naming the example's file and line for a label the model does not have
 */
export function labelIdsOf(labels: readonly string[], examples: readonly Example[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return examples.map((e) => exampleLabels(e).map((label) => {
    const id = index.get(label);
    if (id === undefined) throw new EngineError(EngineErrorCodes.invalidDataset, `label "${label}" is not one of the model's labels (${labels.join(', ')})`, { file: e.file, line: e.line });
    return id;
  }));
}

/**
 * Loss coefficients `[rows × K]` (classificationObjective.ts) of the training examples `rows`, scaled by `scale`.
 * @param labelIds every training example's label ids (labelIdsOf)
 */
export function shardLossOf(labelIds: readonly number[][], rows: readonly number[], numLabels: number, objective: ClassificationObjective, scale: number): { lossA: Float32Array; lossB: Float32Array | null } {
  const targets = new Float32Array(rows.length * numLabels);
  rows.forEach((i, r) => {
    for (const id of labelIds[i]!) targets[r * numLabels + id] = 1;
  });
  const { a, b } = lossCoefficients(targets, numLabels, objective, scale);
  return { lossA: a, lossB: b };
}

/** Token ids right-padded with `padId` to the longest row (dynamic padding), with the 0/1 mask, row-major `[batch, seqLen]`. */
export function padTokenBatch(ids: readonly number[][], padId: number): { inputIds: Int32Array; attentionMask: Int32Array; batchSize: number; seqLen: number } {
  const seqLen = Math.max(...ids.map((r) => r.length));
  const inputIds = new Int32Array(ids.length * seqLen);
  if (padId !== 0) inputIds.fill(padId);
  const attentionMask = new Int32Array(ids.length * seqLen);
  ids.forEach((row, b) => {
    inputIds.set(row, b * seqLen);
    attentionMask.fill(1, b * seqLen, b * seqLen + row.length);
  });
  return { inputIds, attentionMask, batchSize: ids.length, seqLen };
}

/**
 * Writes the parameters, AdamW's moments and step, and the embedding-table rows AdamW has updated so far (a sparse
 * list, usually a fraction of the vocabulary) with `extra` (seed, mode, labels).
 */
export async function saveTrainingCheckpoint(dir: string, store: ParamStore, adam: AdamW | undefined, extra: Record<string, unknown>): Promise<void> {
  const touchedRows: Record<string, number[]> = {};
  for (const [name, flags] of Object.entries(adam?.touchedRows() ?? {})) {
    const rows: number[] = [];
    flags.forEach((f, i) => f && rows.push(i));
    touchedRows[name] = rows;
  }
  await writeCheckpointFiles(dir, store.data, adam?.m, adam?.v, {
    format: 'classifier-workbench/bert-checkpoint@1', size: store.size, names: store.specs.map((s) => s.name),
    optimizerStep: adam?.step ?? 0, extra: { ...extra, touchedRows },
  });
}

/** Reads what saveTrainingCheckpoint wrote into the store and, when training has begun, AdamW. */
export async function loadTrainingCheckpoint(dir: string, store: ParamStore, adam: AdamW | undefined): Promise<void> {
  const state = await readCheckpointFiles(dir, store.specs.map((s) => s.name), store.data, adam?.moments());
  if (adam) {
    adam.step = state.optimizerStep;
    for (const [name, rows] of Object.entries((state.extra.touchedRows ?? {}) as Record<string, number[]>)) adam.touchRows(name, rows);
  }
}
