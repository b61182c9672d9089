// Checks that a folder holds a loadable Hugging Face model (config, safetensors weights, tokenizer) and says
// exactly which file is missing or broken and what to do, before any tensor work starts.
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
  /** The safetensors files holding the weights: `model.safetensors`, or the shards of an index. */
  weightFiles: string[];
  /** Which tokenizer files `loadTokenizer` will use. */
  tokenizer: TokenizerSource;
}

/** The weights files we need (never pickles); in this order when a folder or repo has several. */
export const WEIGHT_FILES = ['model.safetensors', 'model.safetensors.index.json'] as const;
/** The tokenizer files we read, all optional on their own; one of the first two must be there. */
export const TOKENIZER_FILES = ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'] as const;
/** Weights we refuse to load, with why. */
const UNSUPPORTED_WEIGHTS: [string, string][] = [
  ['pytorch_model.bin', 'PyTorch pickle'],
  ['pytorch_model.bin.index.json', 'sharded PyTorch pickle'],
  ['tf_model.h5', 'TensorFlow'],
  ['flax_model.msgpack', 'Flax'],
];

/**
 * How to turn pickle weights into safetensors, told to the user verbatim.
 * @param source the folder (or Hub id) holding the pickle
 * @param outDir where the converted model should go (default: `source` itself, for a folder)
 */
export function convertToSafetensorsHint(source: string, outDir = source): string {
  return 'Classifier Workbench reads weights only from model.safetensors and never unpickles .bin files (unpickling can run code). ' +
    'Convert them once in Python: python -c "from transformers import AutoModel, AutoTokenizer; ' +
    `s, o = r'${source}', r'${outDir}'; AutoModel.from_pretrained(s).save_pretrained(o, safe_serialization=True); ` +
    'AutoTokenizer.from_pretrained(s).save_pretrained(o)"' +
    (outDir === source ? '' : ' and pass that folder') + '.';
}

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

  const weightFiles = await findWeightFiles(dir);
  for (const file of weightFiles) await readSafetensorsHeader(file);

  let tokenizer: TokenizerSource;
  if (await exists(join(dir, 'tokenizer.json'))) tokenizer = 'tokenizer.json';
  else if (await exists(join(dir, 'vocab.txt'))) tokenizer = 'vocab.txt';
  else {
    throw invalid(dir, 'no tokenizer files: the folder needs tokenizer.json or vocab.txt (with tokenizer_config.json); copy them from the base model');
  }
  return { dir, config, weightFiles, tokenizer };
}

async function findWeightFiles(dir: string): Promise<string[]> {
  const single = join(dir, 'model.safetensors');
  if (await exists(single)) return [single];
  const indexFile = join(dir, 'model.safetensors.index.json');
  const index = await readJsonObject(indexFile);
  if (index) {
    const map = index.weight_map;
    if (!map || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      throw invalid(indexFile, 'has no valid "weight_map" (tensor name → shard file); re-download it');
    }
    const shards = [...new Set(Object.values(map as Record<string, string>))].sort();
    for (const shard of shards) {
      checkRepoFileName(shard, indexFile);
      if (!shard.endsWith('.safetensors')) throw invalid(indexFile, `names an unexpected shard "${shard}"`);
      if (!(await exists(resolveInside(dir, shard)))) throw invalid(join(dir, shard), `shard listed in model.safetensors.index.json is missing; re-download the model`);
    }
    return shards.map((s) => resolveInside(dir, s));
  }
  for (const [name, kind] of UNSUPPORTED_WEIGHTS) {
    if (await exists(join(dir, name))) {
      const hint = kind.includes('pickle') ? convertToSafetensorsHint(dir) : 'Save the model with safe_serialization=True to get model.safetensors.';
      throw invalid(join(dir, name), `only ${kind} weights here, no model.safetensors. ${hint}`);
    }
  }
  throw invalid(single, 'model.safetensors is missing: the folder has no weights; copy model.safetensors from the model you fine-tune');
}
