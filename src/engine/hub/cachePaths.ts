// The one gate between names that reach the hub cache from outside — a server's commit, ETag, file names and
// redirects, a user's repo id and revision — and the paths they become. Every such value is checked to its exact
// expected form before use, and every path is built by `resolveInside`, which proves it stays inside its root.
// A hostile or broken server (HF_ENDPOINT can point anywhere) must never make us write, link or delete outside
// the cache: see issue 17, kind 1, and docs/security.md.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** A full git commit hash, the only form a snapshot folder name or a `refs/` file's content may take. */
const COMMIT_HASH = /^[0-9a-f]{40}$/;
/** A blob name: the sha256 of an LFS file (64 hex) or the git blob id of a regular file (40 hex), lower case as the Hub sends them. */
const BLOB_ETAG = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** One part of a branch or tag name, stricter than git (which also refuses `..`, `~^:?*[\`, spaces and control characters). */
const REF_PART = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
/** A file name inside a repo (a weights shard): one plain name, no folders. */
const REPO_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

function refused(what: string, value: string, why: string, where?: string): EngineError {
  // JSON.stringify shows control characters escaped, so the message itself cannot be a terminal escape.
  return new EngineError(EngineErrorCodes.invalidModel, `${what} ${JSON.stringify(value.slice(0, 200))} ${why}`, where ? { file: where } : {});
}

/** True for a full 40-hex commit hash. */
export function isCommitHash(value: string): boolean {
  return COMMIT_HASH.test(value);
}

/**
 * The commit a Hub server reported (X-Repo-Commit), checked to be a 40-hex hash before it names a snapshot folder.
 * @param url the request that returned it, for the error
 * @throws EngineError (invalidModel) for any other form (a traversal such as `../../escaped`, a short hash, ...)
 */
export function checkServerCommit(value: string, url: string): string {
  if (!COMMIT_HASH.test(value)) throw refused('the server sent the commit', value, 'which is not a 40-hex commit hash; refusing to use it as a cache folder (is HF_ENDPOINT a Hugging Face Hub?)', url);
  return value;
}

/**
 * The ETag a Hub server reported, checked to be a blob name before it names a file in `blobs/`.
 * huggingface_hub uses it as the blob file name as it is; the Hub sends a 64-hex sha256 for LFS files and the
 * 40-hex git blob id for the others, so nothing else is accepted.
 * @throws EngineError (invalidModel) for any other form (`..`, a path, a CDN's opaque tag, ...)
 */
export function checkServerEtag(value: string, file: string, url: string): string {
  if (!BLOB_ETAG.test(value)) throw refused(`the server sent for ${file} the ETag`, value, 'which is neither a sha256 (64 hex) nor a git blob id (40 hex); refusing to use it as a cache file name (is HF_ENDPOINT a Hugging Face Hub?)', url);
  return value;
}

/**
 * A revision a user asked for: a 40-hex commit, a branch or tag (`main`, `v1.0`, `release/2024`) or a pull
 * request ref (`refs/pr/3`). It is stored under `refs/<revision>` as huggingface_hub does (so `refs/pr/3` lives
 * in `refs/refs/pr/3`), hence the strict form: no `..`, no empty or dot-led part, no absolute path.
 * @throws EngineError (invalidOption) naming the revision and the forms accepted
 */
export function checkRevision(revision: string): string {
  const parts = revision.split('/');
  const ok = revision.length > 0 && revision.length <= 200 && parts.every((p) => REF_PART.test(p) && !p.endsWith('.lock') && !p.includes('..'));
  if (!ok) {
    throw new EngineError(EngineErrorCodes.invalidOption, `revision ${JSON.stringify(revision.slice(0, 200))} is not a branch, tag, commit hash or refs/pr/N; use e.g. main, v1.0, refs/pr/3 or a 40-hex commit`);
  }
  return revision;
}

/**
 * A file name that a server's answer put in the download list (a shard named by model.safetensors.index.json):
 * one plain name, so it cannot climb out of the snapshot folder or name an absolute path.
 * @param source the file or URL that named it, for the error
 */
export function checkRepoFileName(name: string, source: string): string {
  if (!REPO_FILE.test(name) || name.includes('..') || name.length > 255) throw refused('names the file', name, 'which is not a plain file name in the model folder; refusing it', source);
  return name;
}

/**
 * A redirect target from a server: http or https only (never `file:`, `data:` or another scheme fetch might follow).
 * @throws EngineError (invalidModel) naming the Location
 */
export function checkRedirect(location: string, base: string): URL {
  let target: URL;
  try {
    target = new URL(location, base);
  } catch {
    throw refused('the server redirected to', location, 'which is not a valid URL', base);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw refused('the server redirected to', location, 'which is not an http(s) address; refusing to follow it', base);
  return target;
}

/**
 * `root` joined with `parts`, proven to stay inside `root` (never `root` itself): each part must be a non-empty
 * relative path with no `..` segment, and the resolved path must lie below the resolved root. Use it for every path built from a
 * name that came from outside, even one already checked by the functions above (defence in depth).
 * @throws EngineError (invalidModel) naming the root and the parts when the path would leave it
 */
export function resolveInside(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const path = resolve(base, ...parts);
  const rel = relative(base, path);
  const escapes = parts.some((p) => p.length === 0 || isAbsolute(p) || p.includes('\0') || p.split(/[\\/]/).includes('..')) || rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  if (escapes) throw new EngineError(EngineErrorCodes.invalidModel, `refusing the path ${JSON.stringify(parts.join('/'))}: it would leave ${base}`, { file: base });
  return path;
}
