// Exports a run's best model as a self-contained folder: a Hugging Face folder for BERT-family runs (loads in
// `transformers` as it is), the documented n-gram format (docs/ngram-format.md) for n-gram runs. Both carry the
// run's temperature and abstain threshold(s) (exportedDecisions.ts), so a reloaded export predicts as the run does.
// On request a transformer export also holds its ONNX model(s) in `onnx/` (the family's `exportOnnx`).
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ModelExportResult, OnnxExportOptions } from '../../protocol/model';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import { exportWithoutOnnx, sentence } from '../../common/optionWording';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { NGRAM_HEADER_FILE, NgramModel } from '../models/ngram/ngramModel';
import { createClassifier } from '../classifier/createClassifier';
import { writeFastTokenizerJson } from '../tokenizer/fastTokenizerJson';
import { filesUnder } from '../filesUnder';
import { existingFolder, removeStaleTempFolders, replaceDirAtomic, writeFileAtomic } from '../atomicWrite';
import type { ProblemType } from '../models/nn/classificationObjective';
import { checkpointModelDir, runPaths } from '../../common/runFolder/runRecord';
import { readRun } from './runStore';
import { EXPORT_EXTRA_KEY, runDecisions, toStoredDecisions, writeDecisions } from './exportedDecisions';

/**
 * Marks a folder written by `exportRun`, so a later export may replace it; any other non-empty folder is the
 * user's and is never replaced.
 */
export const EXPORT_MARKER_FILE = '.classifier-workbench-export';

/** What an export writes besides the model folder itself. */
export interface ExportRunOptions {
  /** Also the ONNX model(s) in `<outDir>/onnx/` (transformer runs only). */
  onnx?: OnnxExportOptions;
}

/**
 * Writes the run's best checkpoint (else its last one) as a model folder.
 * @param outDir destination; default `<runDir>/model`. It may be missing, empty, or an earlier export (it holds
 * `EXPORT_MARKER_FILE`, or it is the run's own `model/`): then it is replaced atomically. Any other folder is left
 * alone.
 * @param options.onnx also `onnx/model.onnx` (+ `onnx/model_quantized.onnx` with int8) inside the folder, written in
 * the same atomic replacement: a failed ONNX export leaves the destination as it was. The folder then also holds a
 * `tokenizer.json` (converted from vocab.txt / vocab.json + merges.txt / spm.model when the model had none), so
 * transformers.js loads it as it is.
 * @throws EngineError (runState) when the run has no checkpoint yet; (invalidOption) when `outDir` is a file or a
 * folder of other files, or `<outDir>.old` (where the earlier export is put aside) is something no export wrote, or ONNX is asked of an n-gram run (before anything is written) or of a family with no ONNX
 * graph yet; (fileSystem) when the destination cannot be written.
 */
export async function exportRun(runDir: string, outDir?: string, options: ExportRunOptions = {}): Promise<ModelExportResult> {
  const quantize: unknown = options.onnx?.quantize;
  if (quantize !== undefined && quantize !== 'int8') {
    throw new EngineError(EngineErrorCodes.invalidOption, `unknown ONNX quantisation ${JSON.stringify(quantize)}: "int8" is the one offered (or none, for float32 only)`);
  }
  const record = await readRun(runDir);
  const paths = runPaths(runDir);
  const checkpoint = (await existingFolder(paths.bestCheckpoint)) ?? (await existingFolder(paths.lastCheckpoint));
  if (!checkpoint) {
    throw new EngineError(EngineErrorCodes.runState,
      `run ${record.runId} has no checkpoint to export (checkpoints/ holds neither best/ nor last/): a run saves one every few minutes and at the end of each epoch, so wait if it has just started; a run whose checkpoints were deleted must be trained again`, { file: runDir });
  }
  if (options.onnx && record.config.model === 'ngram') {
    // The editor offers no format choice for an n-gram run (its Export writes the n-gram format), so "choose Hugging
    // Face folder" would point at nothing there.
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `ONNX export is for transformer models: run ${record.runId} trained the built-in n-gram model, which has no ONNX graph. ${s === 'cli' ? sentence(exportWithoutOnnx(s)) : 'Export model writes it'} (the n-gram format, which Classifier Workbench loads), or fine-tune a transformer model to get an ONNX file.`, { file: runDir });
  }
  const target = resolve(outDir ?? paths.exportedModel);
  const isRunModel = target === resolve(paths.exportedModel);
  await checkExportTarget(target, isRunModel);
  await checkAsideFolder(target, isRunModel);
  await removeStaleTempFolders(target);
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
        if (options.onnx) {
          await exportClassifierOnnx(classifier, temp, options.onnx);
          // transformers.js loads the ONNX folder with its tokenizer.json only: add one where the model shipped
          // only slow-tokenizer files (vocab.txt, vocab.json + merges.txt, spm.model).
          await writeFastTokenizerJson(temp);
        }
      } finally {
        classifier.dispose();
      }
      await writeHfDecisionMetadata(temp, record.labels, problemType, record.thresholds);
      await writeDecisions(join(temp, 'config.json'), toStoredDecisions(runDecisions(record), record.labels));
      await writeFile(join(temp, EXPORT_MARKER_FILE), marker);
    });
  }
  const format = record.config.model === 'ngram' ? 'ngram' : 'transformers';
  return { outDir: target, files: (await filesUnder(target)).filter((f) => f !== EXPORT_MARKER_FILE), format };
}

/**
 * The classifier's ONNX files in `dir` (its `exportOnnx`).
 * @throws EngineError(invalidOption) naming the family when it has no ONNX graph yet, worded per surface
 */
export async function exportClassifierOnnx(classifier: TrainableClassifier, dir: string, onnx: OnnxExportOptions): Promise<string[]> {
  if (!classifier.exportOnnx) {
    const family = classifier.describe().kind;
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `ONNX export of ${family} models is not available yet (this family's ONNX graph is not written); the Hugging Face folder exports as usual: ${exportWithoutOnnx(s)}.`);
  }
  return classifier.exportOnnx(dir, onnx);
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

/**
 * Refuses when `<target>.old` is the user's: `replaceDirAtomic` moves an earlier export there for a moment and
 * removes that path, so a folder or file of that name that no export wrote would be deleted. One an interrupted
 * export left (it holds `EXPORT_MARKER_FILE`, or it is the run's own `model.old`) is ours to replace.
 */
async function checkAsideFolder(target: string, isRunModel: boolean): Promise<void> {
  const aside = `${target}.old`;
  let entries: string[];
  try {
    entries = (await stat(aside)).isDirectory() ? await readdir(aside) : ['(a file)'];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (isRunModel || entries.includes(EXPORT_MARKER_FILE)) return;
  throw new EngineError(EngineErrorCodes.invalidOption,
    `an export puts the earlier model aside as ${basename(aside)} while it writes, and that name is taken by something an export did not write; nothing was changed. Rename ${basename(aside)}, or export into another folder`, { file: aside });
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
