// Exports a run's best model as a self-contained folder: a Hugging Face folder for BERT-family runs (loads in
// `transformers` as it is), the documented n-gram format (docs/ngram-format.md) for n-gram runs.
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModelExportResult } from '../../protocol/model';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { NgramModel } from '../ngram/ngramModel';
import { createClassifier } from '../train/createClassifier';
import { checkpointModelDir } from '../train/trainerState';
import { existingFolder, replaceDirAtomic } from './atomicWrite';
import { runPaths } from './runRecord';
import { readRun } from './runStore';

/**
 * Writes the run's best checkpoint (else its last one) as a model folder.
 * @param outDir destination; default `<runDir>/model`. Replaced atomically if it exists.
 * @throws EngineError (runState) when the run has no checkpoint yet.
 */
export async function exportRun(runDir: string, outDir?: string): Promise<ModelExportResult> {
  const record = await readRun(runDir);
  const paths = runPaths(runDir);
  const checkpoint = (await existingFolder(paths.bestCheckpoint)) ?? (await existingFolder(paths.lastCheckpoint));
  if (!checkpoint) throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} has no checkpoint to export yet`, { file: runDir });
  const target = resolve(outDir ?? paths.exportedModel);
  if (record.config.model === 'ngram') {
    const model = await NgramModel.load(checkpointModelDir(checkpoint));
    await replaceDirAtomic(target, (temp) => model.save(temp));
  } else {
    const classifier = await createClassifier(record.config, record.labels);
    try {
      await classifier.loadCheckpoint(checkpointModelDir(checkpoint));
      await replaceDirAtomic(target, (temp) => classifier.exportModel(temp));
    } finally {
      classifier.dispose();
    }
  }
  return { outDir: target, files: (await readdir(target)).sort() };
}
