// Loads a BERT/DistilBERT classifier's config, weights and tokenizer from a Hugging Face folder, or builds the
// from-scratch transformer (random weights, bundled WordPiece vocabulary in assets/scratch-bert).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readBertConfig, type BertConfig } from './bertConfig';
import { createBertStore, initWeights, type LoraSettings } from './bertParams';
import type { ParamStore } from '../nn/paramStore';
import { loadHfWeights, type HfTensor } from './weights';
import { readSafetensors, readSafetensorsHeader } from '../../tensorFiles/safetensors';
import { encoderParameterCount } from '../nn/configBounds';
import { readPytorchBin } from '../../tensorFiles/pytorchBin';
import { validateModelFolder } from '../../hub/modelFolder';
import { loadTokenizer } from '../../tokenizer/loadTokenizer';
import type { TextTokenizer } from '../../tokenizer/textTokenizer';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { matchHeadToLabels } from '../nn/readConfigLabels';

export interface LoadedBert {
  cfg: BertConfig;
  store: ParamStore;
  tokenizer: TextTokenizer;
  /** The folder the config and tokenizer came from (copied on export). */
  dir: string;
  /** Tensors initialised randomly because the checkpoint did not have them (head, pooler, adapters, or all for scratch). */
  initialised: string[];
  /** Head tensors the checkpoint had in another shape (re-initialised); a subset of `initialised`. */
  reshapedHead: string[];
  /** How the checkpoint's head rows were matched to `LoadBertOptions.labels`, when they were not used as they are. */
  headNote?: string;
}

export interface LoadBertOptions {
  lora?: LoraSettings;
  /** Seed of the random initialisation of tensors the checkpoint lacks. */
  seed?: number;
  /** Fine-tuning may replace a head with another label count; prediction must not. */
  allowHeadMismatch?: boolean;
  /** Prediction needs the trained head: fail when the checkpoint lacks it. */
  requireHead?: boolean;
  /**
   * The labels the model is for, in label-id order: the checkpoint's head rows are matched to them by its
   * id2label names (`alignHeadRows`). Without it the head is used by position.
   */
  labels?: readonly string[];
}

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
  if (folder) await checkSizeAgainstWeights(cfg, folder.weightFiles, folder.weightFormat, join(dir, 'config.json'));
  const store = createBertStore(cfg, numLabels, opts.lora);
  const tokenizer = await loadTokenizer(dir);
  if (tokenizer.vocabSize > cfg.vocabSize) {
    throw new EngineError(EngineErrorCodes.invalidModel, `The tokenizer has ${tokenizer.vocabSize} tokens but config.json's vocab_size is ${cfg.vocabSize}: tokenizer and model do not belong together.`, { file: join(dir, 'config.json') });
  }
  let initialised: string[];
  let reshapedHead: string[] = [];
  let headNote: string | undefined;
  if (!folder) {
    initialised = store.specs.map((s) => s.name);
  } else {
    const tensors = new Map<string, HfTensor>();
    for (const file of folder.weightFiles) {
      for (const [name, t] of folder.weightFormat === 'pytorch' ? await readPytorchBin(file) : await readSafetensors(file)) {
        if (t.data instanceof Float32Array) tensors.set(name, { shape: t.shape, data: t.data });
      }
    }
    const index = folder.weightFormat === 'pytorch' ? 'pytorch_model.bin.index.json' : 'model.safetensors.index.json';
    const file = folder.weightFiles.length === 1 ? folder.weightFiles[0] : join(dir, index);
    if (opts.labels) headNote = await matchHeadToLabels(dir, cfg.modelType, cfg.initializerRange, tensors, opts.labels, opts.seed ?? 42);
    const result = loadHfWeights(cfg, store, tensors, file, { allowHeadMismatch: opts.allowHeadMismatch });
    initialised = [...result.missing, ...result.reinitialised];
    reshapedHead = result.reinitialised;
    if (opts.requireHead && initialised.some((n) => n.startsWith('classifier.'))) {
      throw new EngineError(EngineErrorCodes.invalidModel, `The weights have no trained classifier for ${numLabels} labels ("classifier.weight"): this is a base model, not a fine-tuned classifier. Train one first.`, { file });
    }
  }
  initWeights(store, cfg, initialised, opts.seed ?? 42);
  return { cfg, store, tokenizer, dir, initialised, reshapedHead, ...(headNote ? { headNote } : {}) };
}

/**
 * Refuses a config that describes a model much larger than its weights, before the parameters are allocated: a
 * config within every field's bound can still describe gigabytes (2 billion parameters is the bound), and loading
 * would allocate them all before the first tensor's shape is compared. Counts the elements in the safetensors
 * headers (not the data); allows a quarter more plus a million, for a head and pooler the checkpoint lacks.
 * @throws EngineError(invalidModel) naming config.json and both counts
 */
async function checkSizeAgainstWeights(cfg: BertConfig, weightFiles: readonly string[], format: 'safetensors' | 'pytorch', configFile: string): Promise<void> {
  let stored = 0;
  for (const file of weightFiles) {
    // A .bin has no header to count from without unpickling: its bytes bound the element count (2 bytes each at least).
    if (format === 'pytorch') stored += Math.ceil((await stat(file)).size / 2);
    else for (const tensor of (await readSafetensorsHeader(file)).tensors.values()) stored += tensor.shape.reduce((a, b) => a * b, 1);
  }
  const described = encoderParameterCount(cfg);
  if (described > stored * 1.25 + 1_000_000) {
    throw new EngineError(EngineErrorCodes.invalidModel, `config.json describes ${described.toLocaleString('en-US')} parameters but the weights hold ${stored.toLocaleString('en-US')}: config and weights do not belong together (refused before allocating); use the config.json that came with the weights`, { file: configFile });
  }
}
