// The local Hugging Face hub cache, laid out as huggingface_hub does it:
// <cache>/models--ORG--NAME/{blobs/<etag>, snapshots/<commit>/<file> → ../../blobs/<etag>, refs/<revision>}.
import { readdir, stat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_BYTE_CAPS, readFileCapped } from '../boundedFile';
import { checkRevision, isCommitHash, resolveInside } from './cachePaths';
import { hubCacheDir } from '../../common/hubCacheDir';

/** What the quick pick shows for one cached model snapshot. */
export interface CachedModel {
  /** Hub id, `org/name` or `name`. */
  id: string;
  /** The ref pointing at this snapshot (`main`, a tag), or the commit hash when no ref does. */
  revision: string;
  commit: string;
  /** The snapshot folder: pass it (or the id) to `resolveModel`. */
  dir: string;
  /** Bytes of the snapshot's files (a blob linked twice counted once); snapshots may share blobs. */
  sizeBytes: number;
  modifiedMs: number;
  /** True when the snapshot has config.json and safetensors weights. */
  hasSafetensors: boolean;
  /** True when the snapshot has config.json and weights we read: safetensors or PyTorch .bin. */
  hasWeights: boolean;
}

/** `org/name` → `models--org--name`, the cache folder of a model repo. */
export function repoFolderName(repoId: string): string {
  return `models--${repoId.replace('/', '--')}`;
}

/**
 * The commit a `refs/` file names, or undefined when it is missing, unreadable or holds anything but a 40-hex
 * hash (a ref written by a hostile server before this check existed must not steer a snapshot path).
 */
async function readRef(path: string): Promise<string | undefined> {
  try {
    const commit = (await readFileCapped(path, FILE_BYTE_CAPS.ref, 'the cap of a refs/ file')).toString('utf8').trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The snapshot folder of `repoId` at `revision` in the cache, or undefined when it is not there (or its ref is
 * not a commit hash).
 * @param revision a branch/tag/`refs/pr/N` (looked up in refs/, as huggingface_hub stores it) or a full commit hash
 * @throws EngineError (invalidOption) for a revision that is none of those forms
 */
export async function findCachedSnapshot(cacheDir: string, repoId: string, revision = 'main'): Promise<{ dir: string; commit: string } | undefined> {
  const repoDir = resolveInside(cacheDir, repoFolderName(repoId));
  checkRevision(revision);
  const commit = isCommitHash(revision) ? revision : await readRef(resolveInside(repoDir, 'refs', ...revision.split('/')));
  if (!commit) return undefined;
  const dir = resolveInside(repoDir, 'snapshots', commit);
  try {
    if ((await stat(dir)).isDirectory()) return { dir, commit };
  } catch {
    // not cached
  }
  return undefined;
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The refs under `refs/`, nested ones (`refs/pr/3`, `release/v1`) as their revision name, two levels deep at most. */
async function listRefs(dir: string): Promise<string[]> {
  const refs: string[] = [];
  const walk = async (folder: string, prefix: string, depth: number): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      if (entry.isFile()) refs.push(prefix + entry.name);
      else if (entry.isDirectory() && depth < 2) await walk(join(folder, entry.name), `${prefix}${entry.name}/`, depth + 1);
    }
  };
  await walk(dir, '', 0);
  return refs;
}

/** Sums the files of a snapshot, following its symlinks into blobs/ and counting each blob once. */
async function snapshotSize(dir: string, seen: Set<string>): Promise<{ bytes: number; modifiedMs: number; files: Set<string> }> {
  let bytes = 0;
  let modifiedMs = 0;
  const files = new Set<string>();
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of await listOrEmpty(folder)) {
      const path = join(folder, name);
      let info;
      try {
        info = await stat(path);
      } catch {
        continue; // a dangling link left by an interrupted download
      }
      if (info.isDirectory()) {
        await walk(path, `${prefix}${name}/`);
        continue;
      }
      files.add(prefix + name);
      modifiedMs = Math.max(modifiedMs, info.mtimeMs);
      const real = await realpath(path).catch(() => path);
      if (seen.has(real)) continue;
      seen.add(real);
      bytes += info.size;
    }
  };
  await walk(dir, '');
  return { bytes, modifiedMs, files };
}

/**
 * Every model snapshot in the local hub cache, newest first: id, revision, commit, folder and size. Datasets
 * and spaces in the same cache are skipped.
 * @param cacheDir default `hubCacheDir()`
 */
export async function listCachedModels(cacheDir: string = hubCacheDir()): Promise<CachedModel[]> {
  const models: CachedModel[] = [];
  for (const folder of await listOrEmpty(cacheDir)) {
    if (!folder.startsWith('models--')) continue;
    const id = folder.slice('models--'.length).replace('--', '/');
    const repoDir = join(cacheDir, folder);
    const refsByCommit = new Map<string, string>();
    for (const ref of await listRefs(join(repoDir, 'refs'))) {
      const commit = await readRef(join(repoDir, 'refs', ref));
      // Prefer `main` when several refs point at one commit.
      if (commit && (!refsByCommit.has(commit) || ref === 'main')) refsByCommit.set(commit, ref);
    }
    for (const commit of await listOrEmpty(join(repoDir, 'snapshots'))) {
      if (!isCommitHash(commit)) continue; // not a snapshot huggingface_hub (or we) would make
      const dir = join(repoDir, 'snapshots', commit);
      const { bytes, modifiedMs, files } = await snapshotSize(dir, new Set());
      if (files.size === 0) continue;
      models.push({
        id,
        revision: refsByCommit.get(commit) ?? commit,
        commit,
        dir,
        sizeBytes: bytes,
        modifiedMs,
        hasSafetensors: files.has('config.json') && (files.has('model.safetensors') || files.has('model.safetensors.index.json')),
        hasWeights: files.has('config.json') && ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'].some((f) => files.has(f)),
      });
    }
  }
  return models.sort((a, b) => b.modifiedMs - a.modifiedMs || a.id.localeCompare(b.id));
}
