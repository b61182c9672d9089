// Which model a run uses when none is named: a pretrained BERT-family checkpoint if one is configured or can be
// found locally (Hugging Face cache, the dataset's workspace), else the built-in n-gram model (no download).
import { readdir, stat } from 'node:fs/promises';
import { readModelFile } from '../boundedFile';
import { dirname, join, resolve } from 'node:path';
import { hubCacheDir } from '../../common/hubCacheDir';

export interface DefaultModelChoice {
  /** A model folder, or `ngram`. */
  model: string;
  /** Why this one, in one line, for the CLI and the log (includes how to use a pretrained model). */
  reason: string;
}

const SUPPORTED_TYPES = new Set(['bert', 'distilbert']);

/**
 * Picks the default model.
 * @param datasetPath the training file; its folder and the folders above it (up to 3) are searched for a
 * `models/<name>` or `<name>` folder holding a BERT-family `config.json` and `model.safetensors`.
 * @param configured a model named by settings (`classifierWorkbench.defaultModel`); used as it is when set.
 * @param env the environment for the hub cache folder (`hubCacheDir`; defaults to process.env).
 */
export async function chooseDefaultModel(datasetPath: string, configured?: string, env: NodeJS.ProcessEnv = process.env): Promise<DefaultModelChoice> {
  if (configured) return { model: configured, reason: `using the configured default model ${configured}` };
  for (const candidate of await hfCacheSnapshots(env)) {
    if (await isBertFolder(candidate)) return { model: candidate, reason: `using the pretrained model found in the Hugging Face cache: ${candidate}` };
  }
  let dir = dirname(resolve(datasetPath));
  for (let up = 0; up < 3; up++) {
    for (const candidate of await childFolders(join(dir, 'models'))) {
      if (await isBertFolder(candidate)) return { model: candidate, reason: `using the pretrained model found in the workspace: ${candidate}` };
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return {
    model: 'ngram',
    reason: 'no pretrained model found: training the built-in n-gram model (for a transformer, add --model <folder or hub id>, e.g. --model prajjwal1/bert-tiny)',
  };
}

async function hfCacheSnapshots(env: NodeJS.ProcessEnv): Promise<string[]> {
  const hubCache = hubCacheDir(env);
  const out: string[] = [];
  for (const repo of await childFolders(hubCache)) {
    if (!repo.split(/[\\/]/).pop()!.startsWith('models--')) continue;
    out.push(...(await childFolders(join(repo, 'snapshots'))));
  }
  return out;
}

async function childFolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => join(dir, e.name)).sort();
  } catch {
    return [];
  }
}

/** A folder with safetensors weights, a tokenizer and a BERT-family config (never a `.bin`-only folder). */
async function isBertFolder(dir: string): Promise<boolean> {
  try {
    const config = JSON.parse((await readModelFile(join(dir, 'config.json'))).toString('utf8')) as { model_type?: string };
    if (!SUPPORTED_TYPES.has(config.model_type ?? '')) return false;
    await stat(join(dir, 'model.safetensors'));
    const tokenizer = await Promise.any([stat(join(dir, 'tokenizer.json')), stat(join(dir, 'vocab.txt'))]).catch(() => undefined);
    return tokenizer !== undefined;
  } catch {
    return false;
  }
}
