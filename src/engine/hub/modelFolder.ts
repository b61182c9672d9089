// Checks that a folder holds a loadable Hugging Face model (config, weights, tokenizer) and says exactly which file
// is missing or broken and what to do, before any tensor work starts. Weights are safetensors, or PyTorch .bin
// files read by the restricted reader (tensorFiles/pytorchBin.ts), which never runs pickled code.
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { readJsonObject } from '../tokenizer/tokenizerConfig';
import type { TokenizerSource } from '../tokenizer/textTokenizer';
import { readSafetensorsHeader } from '../tensorFiles/safetensors';
import { checkRepoFileName, resolveInside } from './cachePaths';

/** What a valid model folder contains. */
export interface ModelFolder {
  dir: string;
  /** The parsed config.json. */
  config: Record<string, unknown>;
  /** The files holding the weights: `model.safetensors` or `pytorch_model.bin`, or the shards of an index. */
  weightFiles: string[];
  /** safetensors, or PyTorch `torch.save` files (read without unpickling code). */
  weightFormat: 'safetensors' | 'pytorch';
  /** Which tokenizer files `loadTokenizer` will use. */
  tokenizer: TokenizerSource;
}

/** The weights files we read, preferred in this order when a folder or repo has several. */
export const WEIGHT_FILES = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'] as const;
/** The tokenizer files we read, all optional on their own; tokenizer.json, vocab.txt, vocab.json + merges.txt or spm.model must be there. */
export const TOKENIZER_FILES = ['tokenizer.json', 'vocab.txt', 'vocab.json', 'merges.txt', 'spm.model', 'tokenizer_config.json', 'special_tokens_map.json'] as const;
/** Weights we cannot read, with their framework. */
const UNSUPPORTED_WEIGHTS: [string, string][] = [
  ['tf_model.h5', 'TensorFlow'],
  ['flax_model.msgpack', 'Flax'],
];

function invalid(file: string, detail: string): EngineError {
  return new EngineError(EngineErrorCodes.invalidModel, detail, { file });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates a Hugging Face model folder and lists the files to load. Reads config.json and the safetensors
 * headers (not the tensor data), so it is quick even for large checkpoints.
 * @param dir the model folder
 * @throws EngineError naming the file and what to do: missing folder, missing or corrupt config.json, no
 *   safetensors weights (with how to convert a `pytorch_model.bin`), a corrupt safetensors header, missing shards,
 *   or no tokenizer files.
 */
export async function validateModelFolder(dir: string): Promise<ModelFolder> {
  try {
    if (!(await stat(dir)).isDirectory()) throw invalid(dir, 'is a file, not a model folder: pass the folder that holds config.json');
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw invalid(dir, 'model folder not found: pass a folder with config.json, model.safetensors and tokenizer files, or a Hugging Face model id');
  }

  const configFile = join(dir, 'config.json');
  const config = await readJsonObject(configFile);
  if (!config) {
    throw invalid(configFile, 'config.json is missing: every Hugging Face model folder has one; copy it from the model you downloaded');
  }

  const { files: weightFiles, format: weightFormat } = await findWeightFiles(dir);
  if (weightFormat === 'safetensors') for (const file of weightFiles) await readSafetensorsHeader(file);

  let tokenizer: TokenizerSource;
  if (await exists(join(dir, 'tokenizer.json'))) tokenizer = 'tokenizer.json';
  else if (await exists(join(dir, 'vocab.txt'))) tokenizer = 'vocab.txt';
  else if (await exists(join(dir, 'vocab.json')) && await exists(join(dir, 'merges.txt'))) tokenizer = 'vocab.json+merges.txt';
  else if (await exists(join(dir, 'spm.model'))) tokenizer = 'spm.model';
  else {
    throw invalid(dir, 'no tokenizer files: the folder needs tokenizer.json, vocab.txt, vocab.json with merges.txt, or spm.model (with tokenizer_config.json); copy them from the base model');
  }
  return { dir, config, weightFiles, weightFormat, tokenizer };
}

/**
 * The shard files an index's `weight_map` names, each a plain file name with `extension`.
 * @throws EngineError naming the index for a malformed map or a shard name that is not a plain file name
 */
export function shardsOfIndex(index: Record<string, unknown>, indexFile: string, extension: string): string[] {
  const map = index.weight_map;
  if (!map || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
    throw invalid(indexFile, 'has no valid "weight_map" (tensor name → shard file); re-download it');
  }
  const shards = [...new Set(Object.values(map as Record<string, string>))].sort();
  for (const shard of shards) {
    checkRepoFileName(shard, indexFile);
    if (!shard.endsWith(extension)) throw invalid(indexFile, `names an unexpected shard "${shard}"`);
  }
  return shards;
}

async function findWeightFiles(dir: string): Promise<{ files: string[]; format: 'safetensors' | 'pytorch' }> {
  for (const [single, indexName, extension, format] of [
    ['model.safetensors', 'model.safetensors.index.json', '.safetensors', 'safetensors'],
    ['pytorch_model.bin', 'pytorch_model.bin.index.json', '.bin', 'pytorch'],
  ] as const) {
    if (await exists(join(dir, single))) return { files: [join(dir, single)], format };
    const indexFile = join(dir, indexName);
    const index = await readJsonObject(indexFile);
    if (!index) continue;
    const shards = shardsOfIndex(index, indexFile, extension);
    for (const shard of shards) {
      if (!(await exists(resolveInside(dir, shard)))) throw invalid(join(dir, shard), `shard listed in ${indexName} is missing; re-download the model`);
    }
    return { files: shards.map((s) => resolveInside(dir, s)), format };
  }
  for (const [name, kind] of UNSUPPORTED_WEIGHTS) {
    if (await exists(join(dir, name))) {
      throw invalid(join(dir, name), `only ${kind} weights here, no model.safetensors or pytorch_model.bin. Save the model from PyTorch with save_pretrained to get model.safetensors.`);
    }
  }
  throw invalid(join(dir, 'model.safetensors'), 'model.safetensors is missing: the folder has no weights (nor pytorch_model.bin); copy the weights from the model you fine-tune');
}
