// Turns what a user typed as the base model — a folder, or a Hugging Face id — into a validated local folder:
// the folder itself, the local hub cache, or a download from the Hub into that cache.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { option } from '../../common/optionWording';
import { findCachedSnapshot } from './hfCache';
import { isRepoId, looksLikePath } from '../../common/modelArgument';
import { hubCacheDir } from '../../common/hubCacheDir';
import { downloadModel, type DownloadProgress } from './hubDownload';
import { validateModelFolder } from './modelFolder';

export interface ResolveModelOptions {
  /** Hub branch, tag or commit; default `main`. */
  revision?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Default `hubCacheDir()` (src/common/hubCacheDir.ts: huggingface_hub's rules). */
  cacheDir?: string;
  /** Default `$HF_ENDPOINT` or https://huggingface.co. */
  endpoint?: string;
  /** Default `$HF_TOKEN`. */
  token?: string;
  /** Never touch the network (default: `$HF_HUB_OFFLINE` or `$TRANSFORMERS_OFFLINE` is 1/true). */
  offline?: boolean;
  /** Ask the Hub for the revision's latest commit even when a snapshot is cached (unchanged files are not fetched again). */
  refresh?: boolean;
  /** Checks config.json (throwing to refuse the model) before any weights are downloaded. */
  checkConfig?: (config: Record<string, unknown>, file: string) => void;
}

export interface ResolvedModel {
  /** A validated folder with config.json, safetensors weights and tokenizer files. */
  dir: string;
  /** The hub id (`org/name`) for hub and cache models; the absolute folder path for local folders. */
  id: string;
  source: 'folder' | 'cache' | 'hub';
  /** The snapshot commit, for hub and cache models. */
  commit?: string;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}


/**
 * The local folder of a base model, downloading it first when needed. A value that names an existing folder is
 * that folder (as in `transformers`); otherwise it is a Hub id looked up in the local hub cache and, when absent
 * there, downloaded from the Hub (honouring HF_ENDPOINT, resumable, with progress).
 * The cache is used as it is when the snapshot is complete, so training works offline after the first download.
 * @param idOrPath a model folder, or a Hub id such as `prajjwal1/bert-tiny`
 * @returns the folder, the id, and where it came from
 * @throws EngineError naming the file and what to do when the folder is not a valid model, the id is malformed,
 *   the model is not cached while offline, or the download fails; code `cancelled` when `signal` aborts.
 */
export async function resolveModel(idOrPath: string, options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  const value = idOrPath.trim();
  const expanded = value === '~' || value.startsWith(`~/`) || value.startsWith(`~${sep}`) ? join(homedir(), value.slice(1)) : value;
  if (await isDirectory(expanded)) {
    const dir = resolve(expanded);
    await validateModelFolder(dir);
    // A snapshot folder of the hub cache keeps its hub id, so runs record "org/name" rather than a cache path.
    const inCache = /[\\/]models--([^\\/]+)[\\/]snapshots[\\/]([0-9a-f]{40})$/.exec(dir);
    if (inCache) return { dir, id: inCache[1].replace('--', '/'), source: 'cache', commit: inCache[2] };
    return { dir, id: dir, source: 'folder' };
  }
  if (looksLikePath(value) || !isRepoId(value)) {
    // A path is only ever a folder: saying it "is not a Hub id" as well would contradict the advice to pass one.
    const isFile = (await stat(expanded).catch(() => undefined))?.isFile() === true;
    const what = looksLikePath(value)
      ? (isFile ? 'this is a file, not a model folder' : 'no such model folder')
      : `"${value.slice(0, 200)}" is neither a model folder nor a Hugging Face model id (org/name, e.g. prajjwal1/bert-tiny)`;
    throw EngineError.worded(EngineErrorCodes.invalidModel, (s) => (s === 'cli'
      ? `${what}; pass a folder with config.json, model.safetensors and tokenizer files, or a Hub id such as prajjwal1/bert-tiny`
      : `${what}; pick a folder with config.json, model.safetensors and tokenizer files with ${option('modelFolder', s)}, or enter a Hub id such as prajjwal1/bert-tiny`), { file: resolve(expanded) });
  }

  const revision = options.revision ?? 'main';
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const offline = options.offline ?? [process.env.HF_HUB_OFFLINE, process.env.TRANSFORMERS_OFFLINE].some((v) => /^(1|true|yes|on)$/i.test(v ?? ''));
  const cached = options.refresh && !offline ? undefined : await findCachedSnapshot(cacheDir, value, revision);
  if (cached) {
    try {
      await validateModelFolder(cached.dir);
      return { dir: cached.dir, id: value, source: 'cache', commit: cached.commit };
    } catch (err) {
      // An incomplete snapshot (interrupted download) is completed below; offline, its problem is the answer.
      if (offline) throw err;
    }
  }
  if (offline) {
    throw new EngineError(EngineErrorCodes.invalidModel, `"${value}" (revision ${revision}) is not in the local Hugging Face cache and HF_HUB_OFFLINE is set; download it once with network access, or pass a model folder`, { file: cacheDir });
  }
  const downloaded = await downloadModel(value, { ...options, revision, cacheDir });
  await validateModelFolder(downloaded.dir);
  return { dir: downloaded.dir, id: value, source: 'hub', commit: downloaded.commit };
}
