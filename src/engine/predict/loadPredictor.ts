// Loads a trained model for prediction from a run folder (its best checkpoint, or its exported model), an
// n-gram model folder, or a Hugging Face classifier folder / hub id.
import { join, resolve } from 'node:path';
import type { TrainConfig } from '../../protocol/train';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import type { Predictor } from './predictor';
import { NGRAM_HEADER_FILE, NgramModel } from '../models/ngram/ngramModel';
import { readRun } from '../runs/runStore';
import { noCheckpointError } from '../runs/checkpointState';
import type { RunRecord } from '../../common/runFolder/runRecord';
import { applyTemperature, temperatureOf } from '../metrics/calibration';
import { checkpointModelDir, runPaths } from '../../common/runFolder/runRecord';
import { existingFolder } from '../atomicWrite';
import { checkEncoderConfig, createClassifier } from '../classifier/createClassifier';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import { pathExists } from '../pathExists';
import { HF_CONFIG_EXTRA_KEY } from '../runs/exportRun';
import { readDecisions, runDecisions, type Decisions } from '../runs/exportedDecisions';
import { DEFAULT_THRESHOLD } from '../metrics/multiLabelMetrics';
import type { ProblemType } from '../models/nn/classificationObjective';
import { readHeadInfo } from '../classifier/headAlignment';
import { readConfigLabels } from '../models/nn/readConfigLabels';
import { readJsonObject } from '../tokenizer/tokenizerConfig';

/**
 * A model ready to predict.
 * @param path a run folder (uses `model/` when exported, else `checkpoints/best`, else `checkpoints/last`), a
 * folder holding `ngram.json`, a Hugging Face folder with `config.json` (labels from `id2label`), or a hub id.
 * @param options.revision for a hub id: branch, tag, commit or `refs/pr/N` (default `main`)
 * @throws EngineError (invalidModel/runState) naming the folder when nothing loadable is there.
 */
export async function loadPredictor(path: string, options: { revision?: string } = {}): Promise<Predictor> {
  const dir = resolve(path);
  // An exported folder carries its run's temperature and abstain thresholds in its header (exportedDecisions.ts).
  if (await pathExists(join(dir, NGRAM_HEADER_FILE))) return withExportedDecisions(await ngramPredictor(dir), join(dir, NGRAM_HEADER_FILE));
  if (await pathExists(runPaths(dir).runJson)) return runPredictor(dir);
  const predictor = await bertFolderPredictor(path, undefined, options.revision);
  return withExportedDecisions(predictor, join(predictor.source, 'config.json'));
}

/** `predictor` with the decisions stored in its folder's JSON header `file`, if it has any. */
async function withExportedDecisions(predictor: Predictor, file: string): Promise<Predictor> {
  const json = await readJsonObject(file);
  if (!json) return predictor;
  try {
    return withDecisions(predictor, readDecisions(json, predictor.labels, file));
  } catch (error) {
    predictor.dispose();
    throw error;
  }
}

async function runPredictor(runDir: string): Promise<Predictor> {
  const record = await readRun(runDir);
  // run.json is the run's latest word (a threshold picked after the export): its decisions, not the export's.
  return withDecisions(await runModelPredictor(runDir, record), runDecisions(record));
}

/**
 * The temperature scaling applied to every prediction, and the abstain threshold(s) carried along. Scaling only
 * fits the probabilities the run's own model produced, so it is applied here and nowhere else.
 */
function withDecisions(predictor: Predictor, decisions: Decisions): Predictor {
  const scaling = decisions.calibration;
  const extra = {
    ...(scaling ? { calibration: scaling } : {}),
    ...(decisions.uncertaintyThreshold !== undefined ? { uncertaintyThreshold: decisions.uncertaintyThreshold } : {}),
    ...(decisions.uncertaintyThresholds ? { uncertaintyThresholds: decisions.uncertaintyThresholds } : {}),
  };
  if (!scaling || predictor.thresholds) return { ...predictor, ...extra };
  const k = predictor.labels.length;
  return { ...predictor, ...extra, predictProbs: async (texts) => applyTemperature(await predictor.predictProbs(texts), k, temperatureOf(scaling)) };
}

async function runModelPredictor(runDir: string, record: RunRecord): Promise<Predictor> {
  const paths = runPaths(runDir);
  // The run's thresholds win over an exported folder's: they are the run's latest word (an export made
  // before the run finished has none).
  const thresholds = record.thresholds;
  if (record.config.model === 'ngram') {
    if (await pathExists(join(paths.exportedModel, NGRAM_HEADER_FILE))) return ngramPredictor(paths.exportedModel, thresholds);
  } else if (await pathExists(join(paths.exportedModel, 'config.json'))) {
    return bertFolderPredictor(paths.exportedModel, thresholds);
  }
  const checkpoint = (await existingFolder(paths.bestCheckpoint)) ?? (await existingFolder(paths.lastCheckpoint));
  if (!checkpoint) throw noCheckpointError(record, runDir, 'predict with');
  if (record.config.model === 'ngram') return ngramPredictor(checkpointModelDir(checkpoint), thresholds);
  const problemType = record.problemType ?? 'single_label_classification';
  const classifier = await createClassifier(record.config, record.labels, { objective: { problemType }, purpose: 'predict' });
  await classifier.loadCheckpoint(checkpointModelDir(checkpoint));
  return fromClassifier(classifier, 'bert', runDir, multiLabelThresholds(problemType, record.labels.length, thresholds));
}

async function ngramPredictor(dir: string, thresholds?: readonly number[]): Promise<Predictor> {
  const model = await NgramModel.load(dir);
  const decided = multiLabelThresholds(model.weights.problemType, model.labels.length, thresholds ?? model.thresholds);
  return { labels: model.labels, kind: 'ngram', source: dir, predictProbs: async (texts) => model.predictProbs(texts), dispose: () => undefined, ...(decided ? { thresholds: decided } : {}) };
}

/** A multi-label model's thresholds: the tuned ones when there are, else 0.5 per label; undefined for single-label. */
function multiLabelThresholds(problemType: ProblemType, k: number, tuned?: readonly number[]): readonly number[] | undefined {
  if (problemType !== 'multi_label_classification') return undefined;
  return tuned && tuned.length === k ? tuned : new Array<number>(k).fill(DEFAULT_THRESHOLD);
}

/**
 * A fine-tuned HF classifier folder (or hub id): labels come from `id2label` in config.json, or are `LABEL_i`
 * (with a warning) when it has none. A folder whose weights hold no trained head is refused: its predictions
 * would come from random weights (case c12b_head_missing).
 */
async function bertFolderPredictor(idOrPath: string, runThresholds?: readonly number[], revision?: string): Promise<Predictor> {
  const { resolveModel } = await import('../hub/modelSource');
  const { validateModelFolder } = await import('../hub/modelFolder');
  const { readSafetensorsHeader } = await import('../tensorFiles/safetensors');
  const { readPytorchBin } = await import('../tensorFiles/pytorchBin');
  const { dir } = await resolveModel(idOrPath, { revision, checkConfig: checkEncoderConfig });
  const folder = await validateModelFolder(dir);
  const head = await readHeadInfo(await readConfigLabels(dir), folder.weightFiles, async (file) => (folder.weightFormat === 'pytorch' ? readPytorchBin(file) : (await readSafetensorsHeader(file)).tensors));
  const configFile = join(dir, 'config.json');
  const hf = ((await readJsonObject(configFile)) ?? {}) as { problem_type?: string; [HF_CONFIG_EXTRA_KEY]?: { thresholds?: Record<string, number> } };
  if (!head.hasHead) {
    throw new EngineError(EngineErrorCodes.invalidModel, `this model has no trained classification head (no "${head.tensor}" in its weights): it is a base model, or a classifier saved without its head, so its predictions would be random. Fine-tune it first (train), or use a run or an exported model`, { file: folder.weightFiles[0] });
  }
  if (head.rows! < 2) {
    throw new EngineError(EngineErrorCodes.invalidModel, `this model's head has ${head.rows} output: it is not a classifier of two or more labels (a regression model?); train a classifier on it first, or pick a run folder`, { file: configFile });
  }
  if (head.labels.length !== head.rows) {
    throw new EngineError(EngineErrorCodes.invalidModel, `the classification head has the wrong shape for its labels: "${head.tensor}" has ${head.rows} rows but id2label names ${head.labels.length} labels (${head.labels.slice(0, 5).join(', ')}${head.labels.length > 5 ? ', …' : ''}); fix id2label in config.json or re-export the model`, { file: configFile });
  }
  const labels = head.labels;
  const warnings = head.placeholder ? [`${configFile} names no labels (id2label is missing or only LABEL_0…): predictions are shown as ${labels.slice(0, 3).join(', ')}${labels.length > 3 ? ', …' : ''}. Add id2label to config.json to see the class names.`] : [];
  const config: TrainConfig = {
    dataset: dir, model: dir, mode: 'full', epochs: 1, batchSize: 16, learningRate: 2e-5, weightDecay: 0, warmupRatio: 0, maxLength: 128,
    gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 42, validationSplit: 0.1, backend: 'auto', workers: 0,
  };
  const problemType: ProblemType = hf.problem_type === 'multi_label_classification' ? 'multi_label_classification' : 'single_label_classification';
  const saved = hf[HF_CONFIG_EXTRA_KEY]?.thresholds;
  const fromConfig = saved ? labels.map((l) => (typeof saved[l] === 'number' ? saved[l]! : DEFAULT_THRESHOLD)) : undefined;
  const classifier = await createClassifier(config, labels, { objective: { problemType }, purpose: 'predict' });
  return { ...fromClassifier(classifier, 'bert', dir, multiLabelThresholds(problemType, labels.length, runThresholds ?? fromConfig)), warnings };
}

function fromClassifier(classifier: TrainableClassifier, kind: string, source: string, thresholds?: readonly number[]): Predictor {
  return { labels: classifier.labels, kind, source, predictProbs: (texts) => classifier.predictProbs(texts), dispose: () => classifier.dispose(), ...(thresholds ? { thresholds } : {}) };
}
