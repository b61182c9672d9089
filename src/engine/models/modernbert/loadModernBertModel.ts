// Loads a ModernBERT classifier's config, weights and tokenizer from a Hugging Face folder (a ModernBertForMaskedLM
// base checkpoint, a ModernBertModel one, or a fine-tuned ModernBertForSequenceClassification).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModernBertConfig, type ModernBertConfig } from './modernbertConfig';
import { createModernBertStore, initModernBertWeights, loadModernBertWeights, modernBertParamShapes, type HfTensor, type ModernBertLora } from './modernbertParams';
import type { ParamStore } from '../nn/paramStore';
import { readConfigJsonSync } from '../nn/readConfigJson';
import { matchHeadToLabels } from '../nn/readConfigLabels';
import { readSafetensors, readSafetensorsHeader } from '../../tensorFiles/safetensors';
import { readPytorchBin } from '../../tensorFiles/pytorchBin';
import { validateModelFolder } from '../../hub/modelFolder';
import { loadTokenizer } from '../../tokenizer/loadTokenizer';
import type { TextTokenizer } from '../../tokenizer/textTokenizer';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

export interface LoadedModernBert {
  cfg: ModernBertConfig;
  store: ParamStore;
  tokenizer: TextTokenizer;
  /** The folder the config and tokenizer came from (copied on export). */
  dir: string;
  /** Tensors initialised because the checkpoint lacked them (head, classifier, adapters). */
  initialised: string[];
  /** Classifier tensors the checkpoint had in another shape (re-initialised); a subset of `initialised`. */
  reshapedHead: string[];
  /** How the checkpoint's classifier rows were matched to the labels, when not used as they are. */
  headNote?: string;
}

export interface LoadModernBertOptions {
  lora?: ModernBertLora;
  /** Seed of the initialisation of tensors the checkpoint lacks. */
  seed?: number;
  /** Fine-tuning may replace a classifier of another label count; prediction must not. */
  allowHeadMismatch?: boolean;
  /** Prediction needs the trained classifier: fail when the checkpoint lacks it. */
  requireHead?: boolean;
  /** The labels in id order: the checkpoint's classifier rows are matched to them by id2label name. */
  labels?: readonly string[];
}

/** Reads and validates `<dir>/config.json` as a ModernBERT config. @throws EngineError(invalidModel) naming the file */
export function readModernBertConfig(dir: string): ModernBertConfig {
  const { raw, file } = readConfigJsonSync(dir);
  return parseModernBertConfig(raw, file);
}

/**
 * Reads a model folder into a parameter store for `numLabels` classes.
 * @throws EngineError(invalidModel) naming the file for an unusable folder, config, tokenizer or tensor
 */
export async function loadModernBertModel(dir: string, numLabels: number, opts: LoadModernBertOptions = {}): Promise<LoadedModernBert> {
  const cfg = readModernBertConfig(dir);
  const folder = await validateModelFolder(dir);
  await checkSizeAgainstWeights(cfg, numLabels, folder.weightFiles, folder.weightFormat, join(dir, 'config.json'));
  const tokenizer = await loadTokenizer(dir);
  if (tokenizer.vocabSize > cfg.vocabSize) {
    throw new EngineError(EngineErrorCodes.invalidModel, `The tokenizer has ${tokenizer.vocabSize} tokens but config.json's vocab_size is ${cfg.vocabSize}: tokenizer and model do not belong together.`, { file: join(dir, 'config.json') });
  }
  const store = createModernBertStore(cfg, numLabels, opts.lora);
  const tensors = new Map<string, HfTensor>();
  for (const file of folder.weightFiles) {
    for (const [name, t] of folder.weightFormat === 'pytorch' ? await readPytorchBin(file) : await readSafetensors(file)) {
      if (t.data instanceof Float32Array) tensors.set(name, { shape: t.shape, data: t.data });
    }
  }
  const index = folder.weightFormat === 'pytorch' ? 'pytorch_model.bin.index.json' : 'model.safetensors.index.json';
  const file = folder.weightFiles.length === 1 ? folder.weightFiles[0] : join(dir, index);
  const headNote = opts.labels ? await matchHeadToLabels(dir, 'modernbert', cfg.initializerRange, tensors, opts.labels, opts.seed ?? 42) : undefined;
  const result = loadModernBertWeights(cfg, store, tensors, file, { allowHeadMismatch: opts.allowHeadMismatch });
  const initialised = [...result.missing, ...result.reinitialised];
  if (opts.requireHead && initialised.some((n) => n.startsWith('classifier.'))) {
    throw new EngineError(EngineErrorCodes.invalidModel, `The weights have no trained classifier for ${numLabels} labels ("classifier.weight"): this is a base model, not a fine-tuned classifier. Train one first.`, { file });
  }
  initModernBertWeights(store, cfg, initialised, opts.seed ?? 42);
  return { cfg, store, tokenizer, dir, initialised, reshapedHead: result.reinitialised, ...(headNote ? { headNote } : {}) };
}

/**
 * Refuses a config that describes a model much larger than its weights before allocating it (as the BERT family
 * does): the elements in the safetensors headers (a .bin: half its bytes) against the config's count, allowing a
 * quarter more plus a million for a head the checkpoint lacks.
 * @throws EngineError(invalidModel) naming config.json and both counts
 */
async function checkSizeAgainstWeights(cfg: ModernBertConfig, numLabels: number, weightFiles: readonly string[], format: 'safetensors' | 'pytorch', configFile: string): Promise<void> {
  let stored = 0;
  for (const file of weightFiles) {
    if (format === 'pytorch') stored += Math.ceil((await stat(file)).size / 2);
    else for (const tensor of (await readSafetensorsHeader(file)).tensors.values()) stored += tensor.shape.reduce((a, b) => a * b, 1);
  }
  const described = modernBertParamShapes(cfg, numLabels).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (described > stored * 1.25 + 1_000_000) {
    throw new EngineError(EngineErrorCodes.invalidModel, `config.json describes ${described.toLocaleString('en-US')} parameters but the weights hold ${stored.toLocaleString('en-US')}: config and weights do not belong together (refused before allocating); use the config.json that came with the weights`, { file: configFile });
  }
}
