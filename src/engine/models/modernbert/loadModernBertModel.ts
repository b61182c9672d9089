// Loads a ModernBERT classifier's config, weights and tokenizer from a Hugging Face folder (a ModernBertForMaskedLM
// base checkpoint, a ModernBertModel one, or a fine-tuned ModernBertForSequenceClassification).
import { join } from 'node:path';
import { parseModernBertConfig, type ModernBertConfig } from './modernbertConfig';
import { createModernBertStore, initModernBertWeights, loadModernBertWeights, modernBertParamShapes, type ModernBertLora } from './modernbertParams';
import { readConfigJsonSync } from '../nn/readConfigJson';
import { matchHeadToLabels } from '../nn/readConfigLabels';
import { checkSizeAgainstWeights, checkTokenizerFits, readWeightTensors, requireTrainedHead, type LoadedEncoder, type LoadEncoderOptions } from '../nn/encoderFolder';
import { validateModelFolder } from '../../hub/modelFolder';
import { loadTokenizer } from '../../tokenizer/loadTokenizer';

export type LoadedModernBert = LoadedEncoder<ModernBertConfig>;
export type LoadModernBertOptions = LoadEncoderOptions<ModernBertLora>;

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
  await checkSizeAgainstWeights(modernBertParamShapes(cfg, numLabels).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0), folder, join(dir, 'config.json'));
  const tokenizer = await loadTokenizer(dir);
  checkTokenizerFits(tokenizer, cfg.vocabSize, dir);
  const store = createModernBertStore(cfg, numLabels, opts.lora);
  const { tensors, file } = await readWeightTensors(dir, folder);
  const headNote = opts.labels ? await matchHeadToLabels(dir, 'modernbert', cfg.initializerRange, tensors, opts.labels, opts.seed ?? 42) : undefined;
  const result = loadModernBertWeights(cfg, store, tensors, file, { allowHeadMismatch: opts.allowHeadMismatch });
  const initialised = [...result.missing, ...result.reinitialised];
  if (opts.requireHead) requireTrainedHead(initialised, numLabels, file);
  initModernBertWeights(store, cfg, initialised, opts.seed ?? 42);
  return { cfg, store, tokenizer, dir, initialised, reshapedHead: result.reinitialised, ...(headNote ? { headNote } : {}) };
}
