// What every encoder family's loader does the same way with a Hugging Face model folder: the loaded model's shape
// (LoadedEncoder), reading the weight files (safetensors or the restricted .bin reader, sharded or not) into one
// name → tensor map, refusing a config far larger than its weights before allocating, and the tokenizer and head
// checks. Used by bert/loadBertModel.ts and modernbert/loadModernBertModel.ts.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParamStore } from './paramStore';
import type { HfTensor } from './hfWeights';
import type { ModelFolder } from '../../hub/modelFolder';
import type { TextTokenizer } from '../../tokenizer/textTokenizer';
import { readSafetensors, readSafetensorsHeader } from '../../tensorFiles/safetensors';
import { readPytorchBin } from '../../tensorFiles/pytorchBin';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** A family's model read from a folder into a parameter store. */
export interface LoadedEncoder<Config> {
  cfg: Config;
  store: ParamStore;
  tokenizer: TextTokenizer;
  /** The folder the config and tokenizer came from (copied on export). */
  dir: string;
  /** Tensors initialised because the checkpoint lacked them (head, pooler, adapters, or all for scratch). */
  initialised: string[];
  /** Classifier tensors the checkpoint had in another shape (re-initialised); a subset of `initialised`. */
  reshapedHead: string[];
  /** How the checkpoint's classifier rows were matched to the labels, when not used as they are. */
  headNote?: string;
}

/** Options of a family's loader; `Lora` is the family's adapter settings. */
export interface LoadEncoderOptions<Lora> {
  lora?: Lora;
  /** Seed of the random initialisation of tensors the checkpoint lacks. */
  seed?: number;
  /** Fine-tuning may replace a classifier of another label count; prediction must not. */
  allowHeadMismatch?: boolean;
  /** Prediction needs the trained classifier: fail when the checkpoint lacks it. */
  requireHead?: boolean;
  /**
   * The labels in label-id order: the checkpoint's classifier rows are matched to them by id2label name
   * (readConfigLabels.ts). Without it the classifier is used by position.
   */
  labels?: readonly string[];
}

/**
 * Every float tensor of the folder's weight files, and the file to name in messages (the weights file, or the
 * shard index when there are several).
 */
export async function readWeightTensors(dir: string, folder: ModelFolder): Promise<{ tensors: Map<string, HfTensor>; file: string }> {
  const tensors = new Map<string, HfTensor>();
  for (const file of folder.weightFiles) {
    for (const [name, t] of folder.weightFormat === 'pytorch' ? await readPytorchBin(file) : await readSafetensors(file)) {
      if (t.data instanceof Float32Array) tensors.set(name, { shape: t.shape, data: t.data });
    }
  }
  const index = folder.weightFormat === 'pytorch' ? 'pytorch_model.bin.index.json' : 'model.safetensors.index.json';
  return { tensors, file: folder.weightFiles.length === 1 ? folder.weightFiles[0] : join(dir, index) };
}

/**
 * Refuses a config that describes a model much larger than its weights, before the parameters are allocated: a
 * config within every field's bound can still describe gigabytes (2 billion parameters is the bound), and loading
 * would allocate them all before the first tensor's shape is compared. Counts the elements in the safetensors
 * headers (not the data); allows a quarter more plus a million, for a head and pooler the checkpoint lacks.
 * @param described the parameter count the config describes
 * @throws EngineError(invalidModel) naming config.json and both counts
 */
export async function checkSizeAgainstWeights(described: number, folder: ModelFolder, configFile: string): Promise<void> {
  let stored = 0;
  for (const file of folder.weightFiles) {
    // A .bin has no header to count from without unpickling: its bytes bound the element count (2 bytes each at least).
    if (folder.weightFormat === 'pytorch') stored += Math.ceil((await stat(file)).size / 2);
    else for (const tensor of (await readSafetensorsHeader(file)).tensors.values()) stored += tensor.shape.reduce((a, b) => a * b, 1);
  }
  if (described > stored * 1.25 + 1_000_000) {
    throw new EngineError(EngineErrorCodes.invalidModel, `config.json describes ${described.toLocaleString('en-US')} parameters but the weights hold ${stored.toLocaleString('en-US')}: config and weights do not belong together (refused before allocating); use the config.json that came with the weights`, { file: configFile });
  }
}

/** @throws EngineError(invalidModel) naming config.json when the tokenizer has more tokens than the embedding table */
export function checkTokenizerFits(tokenizer: TextTokenizer, vocabSize: number, dir: string): void {
  if (tokenizer.vocabSize > vocabSize) {
    throw new EngineError(EngineErrorCodes.invalidModel, `The tokenizer has ${tokenizer.vocabSize} tokens but config.json's vocab_size is ${vocabSize}: tokenizer and model do not belong together.`, { file: join(dir, 'config.json') });
  }
}

/** @throws EngineError(invalidModel) naming the weights file when prediction needs a classifier the checkpoint lacks */
export function requireTrainedHead(initialised: readonly string[], numLabels: number, file: string): void {
  if (initialised.some((n) => n.startsWith('classifier.'))) {
    throw new EngineError(EngineErrorCodes.invalidModel, `The weights have no trained classifier for ${numLabels} labels ("classifier.weight"): this is a base model, not a fine-tuned classifier. Train one first.`, { file });
  }
}
