// Exports a run's best model as a self-contained folder: a Hugging Face folder for BERT-family runs (loads in
// `transformers` as it is), the documented n-gram format (docs/ngram-format.md) for n-gram runs. Both carry the
// run's temperature and abstain threshold(s) (exportedDecisions.ts), so a reloaded export predicts as the run does.
// On request a transformer export also holds its ONNX model(s) in `onnx/` (the family's `exportOnnx`).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelExportResult, OnnxExportOptions } from '../../protocol/model';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import { exportWithoutOnnx, sentence } from '../../common/optionWording';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { NGRAM_HEADER_FILE, NgramModel } from '../models/ngram/ngramModel';
import { createClassifier } from '../classifier/createClassifier';
import { existingFolder, writeFileAtomic } from '../atomicWrite';
import type { ProblemType } from '../models/nn/classificationObjective';
import { checkpointModelDir, runPaths } from '../../common/runFolder/runRecord';
import { readRun } from './runStore';
import { noCheckpointError, unfinishedRunWarning } from './checkpointState';
import { EXPORT_EXTRA_KEY, runDecisions, toStoredDecisions, writeDecisions } from './exportedDecisions';
import { writeExportFolder } from './exportFolder';

export { EXPORT_MARKER_FILE } from './exportFolder';

/** What an export writes besides the model folder itself. */
export interface ExportRunOptions {
  /** Also the ONNX model(s) in `<outDir>/onnx/` (transformer runs only). */
  onnx?: OnnxExportOptions;
}

/**
 * Writes the run's best checkpoint (else its last one) as a model folder.
 * @param outDir destination; default `<runDir>/model`. It may be missing, empty, an earlier export (it holds
 * `EXPORT_MARKER_FILE`, which lists the files that export wrote) or the run's own `model/`: `writeExportFolder`
 * (exportFolder.ts) then replaces the earlier export's files, removes those this export does not write (the ONNX
 * files of an earlier `--onnx` export), and keeps everything else (the user's README.md, .git/) as it is; a file of
 * the earlier export the user changed since, or a user's file where this export writes one, is never overwritten:
 * the export is refused, naming it, and nothing is changed. A killed export is rolled back or completed by the next.
 * @param options.onnx also `onnx/model.onnx` (+ `onnx/model_quantized.onnx` with int8) inside the folder, staged
 * with the rest: a failed ONNX export leaves the destination as it was. Every transformer export holds a
 * `tokenizer.json` (converted from vocab.txt / vocab.json + merges.txt / spm.model when the model had none), so
 * transformers.js loads the folder, ONNX or not, as it is.
 * @returns the export's files (`files`), the user's entries left as they were (`kept`), and a `warning` when the
 * run did not complete (the checkpoint is from unfinished training)
 * @throws EngineError (runState) when the run has no checkpoint (why, by its state: `noCheckpointError`); (invalidOption) when `outDir` is a file or a
 * folder of other files, an earlier version's export (no file list) holding more than its marker, holds changed or
 * in-the-way files (above), or `<outDir>.old` (where the earlier export's files are put aside) is something no export
 * wrote, or ONNX is asked of an n-gram run (before anything is written) or of a family with no ONNX graph yet;
 * (fileSystem) when the destination cannot be written.
 */
export async function exportRun(runDir: string, outDir?: string, options: ExportRunOptions = {}): Promise<ModelExportResult> {
  const quantize: unknown = options.onnx?.quantize;
  if (quantize !== undefined && quantize !== 'int8') {
    throw new EngineError(EngineErrorCodes.invalidOption, `unknown ONNX quantisation ${JSON.stringify(quantize)}: "int8" is the one offered (or none, for float32 only)`);
  }
  const record = await readRun(runDir);
  const paths = runPaths(runDir);
  const checkpoint = (await existingFolder(paths.bestCheckpoint)) ?? (await existingFolder(paths.lastCheckpoint));
  if (!checkpoint) throw noCheckpointError(record, runDir, 'export');
  if (options.onnx && record.config.model === 'ngram') {
    // The editor offers no format choice for an n-gram run (its Export writes the n-gram format), so "choose Hugging
    // Face folder" would point at nothing there.
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `ONNX export is for transformer models: run ${record.runId} trained the built-in n-gram model, which has no ONNX graph. ${s === 'cli' ? sentence(exportWithoutOnnx(s)) : 'Export model writes it'} (the n-gram format, which Classifier Workbench loads), or fine-tune a transformer model to get an ONNX file.`, { file: runDir });
  }
  const target = resolve(outDir ?? paths.exportedModel);
  const isRunModel = target === resolve(paths.exportedModel);
  const problemType = record.problemType ?? 'single_label_classification';
  // The model is loaded inside `fill`, after the temp folder was made: an unwritable destination fails at once.
  let fill: (temp: string) => Promise<void>;
  if (record.config.model === 'ngram') {
    fill = async (temp) => {
      const model = await NgramModel.load(checkpointModelDir(checkpoint));
      if (record.thresholds) model.thresholds = record.thresholds;
      await model.save(temp);
      await writeDecisions(join(temp, NGRAM_HEADER_FILE), toStoredDecisions(runDecisions(record), record.labels));
    };
  } else {
    fill = async (temp) => {
      const classifier = await createClassifier(record.config, record.labels, { objective: { problemType }, purpose: 'predict' });
      try {
        await classifier.loadCheckpoint(checkpointModelDir(checkpoint));
        await classifier.exportModel(temp);
        // exportModel has written tokenizer.json already (hfClassifierFolder), which transformers.js needs for ONNX.
        if (options.onnx) await exportClassifierOnnx(classifier, temp, options.onnx);
      } finally {
        classifier.dispose();
      }
      await writeHfDecisionMetadata(temp, record.labels, problemType, record.thresholds);
      await writeDecisions(join(temp, 'config.json'), toStoredDecisions(runDecisions(record), record.labels));
    };
  }
  const written = await writeExportFolder(target, { runId: record.runId, isRunModel, fill });
  const format = record.config.model === 'ngram' ? 'ngram' : 'transformers';
  const warning = unfinishedRunWarning(record, checkpoint.startsWith(paths.bestCheckpoint) ? 'best' : 'last');
  return { outDir: target, files: written.files, format, ...(written.kept.length ? { kept: written.kept } : {}), ...(warning ? { warning } : {}) };
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
