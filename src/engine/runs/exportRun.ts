// Exports a run's best model as a self-contained folder: a Hugging Face folder for BERT-family runs (loads in
// `transformers` as it is), the documented n-gram format (docs/ngram-format.md) for n-gram runs. Both carry the
// run's temperature and abstain threshold(s) (exportedDecisions.ts), so a reloaded export predicts as the run does.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelExportResult } from '../../protocol/model';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { NGRAM_HEADER_FILE, NgramModel } from '../models/ngram/ngramModel';
import { createClassifier } from '../classifier/createClassifier';
import { existingFolder, replaceDirAtomic, writeFileAtomic } from '../atomicWrite';
import type { ProblemType } from '../models/nn/classificationObjective';
import { checkpointModelDir, runPaths } from '../../common/runFolder/runRecord';
import { readRun } from './runStore';
import { EXPORT_EXTRA_KEY, runDecisions, toStoredDecisions, writeDecisions } from './exportedDecisions';

/**
 * Marks a folder written by `exportRun`, so a later export may replace it; any other non-empty folder is the
 * user's and is never replaced.
 */
export const EXPORT_MARKER_FILE = '.classifier-workbench-export';

/**
 * Writes the run's best checkpoint (else its last one) as a model folder.
 * @param outDir destination; default `<runDir>/model`. It may be missing, empty, or an earlier export (it holds
 * `EXPORT_MARKER_FILE`, or it is the run's own `model/`): then it is replaced atomically. Any other folder is left
 * alone.
 * @throws EngineError (runState) when the run has no checkpoint yet; (invalidOption) when `outDir` is a file or a
 * folder of other files; (fileSystem) when the destination cannot be written.
 */
export async function exportRun(runDir: string, outDir?: string): Promise<ModelExportResult> {
  const record = await readRun(runDir);
  const paths = runPaths(runDir);
  const checkpoint = (await existingFolder(paths.bestCheckpoint)) ?? (await existingFolder(paths.lastCheckpoint));
  if (!checkpoint) throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} has no checkpoint to export yet`, { file: runDir });
  const target = resolve(outDir ?? paths.exportedModel);
  await checkExportTarget(target, target === resolve(paths.exportedModel));
  const marker = `${JSON.stringify({ runId: record.runId, exportedAt: new Date().toISOString() })}\n`;
  const problemType = record.problemType ?? 'single_label_classification';
  // The model is loaded inside `fill`, after the temp folder was made: an unwritable destination fails at once.
  if (record.config.model === 'ngram') {
    await replaceDirAtomic(target, async (temp) => {
      const model = await NgramModel.load(checkpointModelDir(checkpoint));
      if (record.thresholds) model.thresholds = record.thresholds;
      await model.save(temp);
      await writeDecisions(join(temp, NGRAM_HEADER_FILE), toStoredDecisions(runDecisions(record), record.labels));
      await writeFile(join(temp, EXPORT_MARKER_FILE), marker);
    });
  } else {
    await replaceDirAtomic(target, async (temp) => {
      const classifier = await createClassifier(record.config, record.labels, { objective: { problemType }, purpose: 'predict' });
      try {
        await classifier.loadCheckpoint(checkpointModelDir(checkpoint));
        await classifier.exportModel(temp);
      } finally {
        classifier.dispose();
      }
      await writeHfDecisionMetadata(temp, record.labels, problemType, record.thresholds);
      await writeDecisions(join(temp, 'config.json'), toStoredDecisions(runDecisions(record), record.labels));
      await writeFile(join(temp, EXPORT_MARKER_FILE), marker);
    });
  }
  const format = record.config.model === 'ngram' ? 'ngram' : 'transformers';
  return { outDir: target, files: (await readdir(target)).filter((f) => f !== EXPORT_MARKER_FILE).sort(), format };
}

/**
 * Refuses to export over what the user owns: `target` must be missing, an empty folder, or an earlier export.
 * @param isRunModel the run's own `model/` folder, which only exports write (older ones have no marker).
 */
async function checkExportTarget(target: string, isRunModel: boolean): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(target)).isDirectory()) {
      throw new EngineError(EngineErrorCodes.invalidOption, 'the export destination is a file; choose a new or empty folder', { file: target });
    }
    entries = await readdir(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length === 0 || isRunModel || entries.includes(EXPORT_MARKER_FILE)) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  throw new EngineError(EngineErrorCodes.invalidOption,
    `the export destination already holds files an export did not write (${shown}); nothing was changed. Export into a new or empty folder, or one an earlier export wrote`, { file: target });
}

/** The key of an exported config.json under which our own settings go (Hugging Face keeps unknown keys). */
export const HF_CONFIG_EXTRA_KEY = EXPORT_EXTRA_KEY;

/**
 * Adds to an exported Hugging Face `config.json` what every model family shares: `problem_type` (so
 * `transformers` applies sigmoid + BCE to a multi-label model) and, multi-label, the tuned decision thresholds
 * under `classifier_workbench.thresholds` (label → threshold), which `loadPredictor` applies.
 */
export async function writeHfDecisionMetadata(dir: string, labels: readonly string[], problemType: ProblemType, thresholds?: readonly number[]): Promise<void> {
  const file = join(dir, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  config.problem_type = problemType;
  if (problemType === 'multi_label_classification' && thresholds) {
    config[HF_CONFIG_EXTRA_KEY] = { thresholds: Object.fromEntries(labels.map((l, i) => [l, thresholds[i]!])) };
  }
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
}
