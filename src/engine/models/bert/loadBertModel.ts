// Loads a BERT/DistilBERT classifier's config, weights and tokenizer from a Hugging Face folder, or builds the
// from-scratch transformer (random weights, bundled WordPiece vocabulary in assets/scratch-bert).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readBertConfig, type BertConfig } from './bertConfig';
import { createBertStore, initWeights, type LoraSettings } from './bertParams';
import { loadHfWeights } from './weights';
import { encoderParameterCount } from '../nn/configBounds';
import { checkSizeAgainstWeights, checkTokenizerFits, readWeightTensors, requireTrainedHead, type LoadedEncoder, type LoadEncoderOptions } from '../nn/encoderFolder';
import { validateModelFolder } from '../../hub/modelFolder';
import { loadTokenizer } from '../../tokenizer/loadTokenizer';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { matchHeadToLabels } from '../nn/readConfigLabels';

export type LoadedBert = LoadedEncoder<BertConfig>;
export type LoadBertOptions = LoadEncoderOptions<LoraSettings>;

/** The bundled from-scratch configuration and vocabulary (assets/scratch-bert), from sources or from dist/. */
export function scratchModelDir(): string {
  const candidates = [join(__dirname, '..', '..', '..', '..', 'assets', 'scratch-bert'), join(__dirname, '..', 'assets', 'scratch-bert')];
  const dir = candidates.find((d) => existsSync(join(d, 'config.json')));
  if (!dir) throw new EngineError(EngineErrorCodes.internal, `The bundled scratch model (assets/scratch-bert) is missing from the installation; reinstall the extension.`);
  return dir;
}

/**
 * Reads a model folder into a parameter store for `numLabels` classes.
 * @param dir a validated HF folder, or `scratchModelDir()` for random weights
 * @throws EngineError(invalidModel) naming the file for any unusable folder, config or tensor.
 */
export async function loadBertModel(dir: string, numLabels: number, opts: LoadBertOptions = {}): Promise<LoadedBert> {
  const scratch = !existsSync(join(dir, 'model.safetensors')) && existsSync(join(dir, 'scratch.json'));
  const cfg = readBertConfig(dir);
  const folder = scratch ? undefined : await validateModelFolder(dir);
  if (folder) await checkSizeAgainstWeights(encoderParameterCount(cfg), folder, join(dir, 'config.json'));
  const store = createBertStore(cfg, numLabels, opts.lora);
  const tokenizer = await loadTokenizer(dir);
  checkTokenizerFits(tokenizer, cfg.vocabSize, dir);
  let initialised: string[];
  let reshapedHead: string[] = [];
  let headNote: string | undefined;
  if (!folder) {
    initialised = store.specs.map((s) => s.name);
  } else {
    const { tensors, file } = await readWeightTensors(dir, folder);
    if (opts.labels) headNote = await matchHeadToLabels(dir, cfg.modelType, cfg.initializerRange, tensors, opts.labels, opts.seed ?? 42);
    const result = loadHfWeights(cfg, store, tensors, file, { allowHeadMismatch: opts.allowHeadMismatch });
    initialised = [...result.missing, ...result.reinitialised];
    reshapedHead = result.reinitialised;
    if (opts.requireHead) requireTrainedHead(initialised, numLabels, file);
  }
  initWeights(store, cfg, initialised, opts.seed ?? 42);
  return { cfg, store, tokenizer, dir, initialised, reshapedHead, ...(headNote ? { headNote } : {}) };
}
