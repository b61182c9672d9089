// Downloads the files a model needs from the Hugging Face Hub (or HF_ENDPOINT) into the local hub cache, the
// way huggingface_hub lays it out, resuming interrupted files with HTTP Range. safetensors weights are preferred;
// a repo with only pytorch_model.bin gets that (read later by the restricted reader, which runs no code).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { repoFolderName } from './hfCache';
import { isRepoId } from '../../common/modelArgument';
import { withBlobLock } from './blobLock';
import { checkRevision, isCommitHash, resolveInside } from './cachePaths';
import { cancelled, HubClient, overDeclaredSize, type RemoteFile } from './hubClient';
import { shardsOfIndex, TOKENIZER_FILES } from './modelFolder';

/** Progress of a model download, reported as bytes arrive. */
export interface DownloadProgress {
  /** The file being fetched (path inside the repo). */
  file: string;
  fileBytes: number;
  fileTotal: number;
  /** Over all files of this download; files already cached count as done. */
  doneBytes: number;
  totalBytes: number;
}

export interface DownloadOptions {
  /** Branch, tag or commit; default `main`. */
  revision?: string;
  /** Hub cache folder; default `hubCacheDir()`. */
  cacheDir: string;
  /** Default `$HF_ENDPOINT` or https://huggingface.co. */
  endpoint?: string;
  /** Bearer token for private or gated models; default `$HF_TOKEN`. */
  token?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Attempts per file after a dropped connection, each resuming where the last stopped; default 5. */
  retries?: number;
  /** Wait before a retry, multiplied by the attempt number; default 1000 ms. */
  retryDelayMs?: number;
  /**
   * Called with the parsed config.json before any other file is requested; throw to refuse the model (an
   * unsupported `model_type` is then refused without a single weight request).
   */
  checkConfig?: (config: Record<string, unknown>, file: string) => void;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

/** Default Hub address, honouring HF_ENDPOINT (mirrors, a local test server). */
export function hubEndpoint(): string {
  return (env('HF_ENDPOINT') ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/**
 * Downloads config.json, the safetensors weights (single file or shards) and the tokenizer files of `repoId`
 * into the hub cache and returns the snapshot folder. Files already in the cache are not fetched again; a file
 * interrupted by a dropped connection, a crash or `signal` resumes from its `.incomplete` part.
 * Every name the server sends that becomes a path (commit, ETags, shard names) is checked to its exact form, and
 * every path is built with `resolveInside`, so a hostile server cannot write, link or delete outside the cache.
 * The files after config.json are asked for at config.json's commit, so a branch moving mid-download cannot mix
 * two commits in one snapshot.
 * @throws EngineError (invalidModel) for an unknown id, refused access, a repo with only `.bin` weights or no
 *   tokenizer, an unreachable endpoint, a corrupt download or a server answer of the wrong form (a commit that
 *   is not 40 hex, an ETag that is not a blob hash, a body longer than declared); (invalidOption) for a malformed
 *   id or revision; (cancelled) when `signal` aborts.
 */
export async function downloadModel(repoId: string, options: DownloadOptions): Promise<{ dir: string; commit: string; files: string[] }> {
  if (!isRepoId(repoId)) throw new EngineError(EngineErrorCodes.invalidOption, `${JSON.stringify(repoId.slice(0, 200))} is not a Hugging Face model id (org/name)`);
  const revision = checkRevision(options.revision ?? 'main');
  const endpoint = (options.endpoint ?? hubEndpoint()).replace(/\/+$/, '');
  const token = options.token ?? env('HF_TOKEN');
  const asked = new HubClient(endpoint, repoId, revision, token, options.signal);

  const config = await asked.head('config.json');
  if (!config) {
    throw new EngineError(EngineErrorCodes.invalidModel, `no model "${repoId}" (revision ${revision}) at ${endpoint}: config.json was not found; check the id and revision`, { file: asked.url('config.json') });
  }
  if (options.checkConfig) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await asked.getText(config));
    } catch {
      throw new EngineError(EngineErrorCodes.invalidModel, 'config.json is not valid JSON; is this a model repository?', { file: asked.url('config.json') });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EngineError(EngineErrorCodes.invalidModel, 'config.json is not a JSON object', { file: asked.url('config.json') });
    options.checkConfig(parsed as Record<string, unknown>, asked.url('config.json'));
  }
  // huggingface_hub refuses a server that names no commit too: without one there is no snapshot folder to fill.
  const commit = config.commit ?? (isCommitHash(revision) ? revision : undefined);
  if (!commit) {
    throw new EngineError(EngineErrorCodes.invalidModel, `the server sent no X-Repo-Commit for config.json, so the download has no snapshot to go in; is HF_ENDPOINT a Hugging Face Hub?`, { file: config.url });
  }
  const client = new HubClient(endpoint, repoId, commit, token, options.signal);
  const remote: RemoteFile[] = [config];
  remote.push(...(await findWeights(client)));
  const found = new Set<string>();
  for (const name of TOKENIZER_FILES) {
    const file = await client.head(name);
    if (file) {
      remote.push(file);
      found.add(name);
    }
  }
  if (!found.has('tokenizer.json') && !found.has('vocab.txt') && !(found.has('vocab.json') && found.has('merges.txt')) && !found.has('spm.model')) {
    throw new EngineError(EngineErrorCodes.invalidModel, `"${repoId}" has no tokenizer.json, vocab.txt, vocab.json with merges.txt, or spm.model, so its text cannot be tokenised; pick a model with tokenizer files`, { file: client.url('tokenizer.json') });
  }

  for (const file of remote) {
    if (file.commit !== undefined && file.commit !== commit) {
      throw new EngineError(EngineErrorCodes.invalidModel, `the server answered ${file.file} from commit ${file.commit}, not ${commit} that was asked for; try again (is HF_ENDPOINT a Hugging Face Hub?)`, { file: file.url });
    }
  }
  const repoDir = resolveInside(options.cacheDir, repoFolderName(repoId));
  const snapshotDir = resolveInside(repoDir, 'snapshots', commit);
  const totalBytes = remote.reduce((a, f) => a + f.size, 0);
  let doneBytes = 0;
  for (const file of remote) {
    const blob = resolveInside(repoDir, 'blobs', file.etag);
    const before = doneBytes;
    if (!(await hasSize(blob, file.size))) {
      await mkdir(dirname(blob), { recursive: true });
      await withBlobLock(blob, options.signal, cancelled, async () => {
        // Another process may have finished this blob while we waited for the lock.
        if (await hasSize(blob, file.size)) return;
        // At most ~10 reports a second: a large file arrives in thousands of chunks.
        let lastReport = 0;
        await fetchBlob(client, file, blob, options, (fileBytes) => {
          const now = Date.now();
          if (now - lastReport < 100) return;
          lastReport = now;
          options.onProgress?.({ file: file.file, fileBytes, fileTotal: file.size, doneBytes: before + fileBytes, totalBytes });
        });
      });
    }
    doneBytes = before + file.size;
    options.onProgress?.({ file: file.file, fileBytes: file.size, fileTotal: file.size, doneBytes, totalBytes });
    await linkIntoSnapshot(blob, resolveInside(snapshotDir, file.file));
  }
  if (revision !== commit) {
    // As huggingface_hub: refs/<revision>, so `refs/pr/3` is stored in refs/refs/pr/3.
    const ref = resolveInside(repoDir, 'refs', ...revision.split('/'));
    await mkdir(dirname(ref), { recursive: true });
    await writeAtomically(ref, commit);
  }
  return { dir: snapshotDir, commit, files: remote.map((f) => f.file) };
}

/**
 * The weights to fetch: model.safetensors (or its index and shards), else pytorch_model.bin (or its index and
 * shards), which the restricted .bin reader loads without running pickled code.
 */
async function findWeights(client: HubClient): Promise<RemoteFile[]> {
  for (const [singleName, indexName, extension] of [
    ['model.safetensors', 'model.safetensors.index.json', '.safetensors'],
    ['pytorch_model.bin', 'pytorch_model.bin.index.json', '.bin'],
  ] as const) {
    const single = await client.head(singleName);
    if (single) return [single];
    const index = await client.head(indexName);
    if (!index) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await client.getText(index));
    } catch {
      throw new EngineError(EngineErrorCodes.invalidModel, `${indexName} is not valid JSON`, { file: index.url });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EngineError(EngineErrorCodes.invalidModel, `${indexName} is not a JSON object`, { file: index.url });
    const out = [index];
    for (const shard of shardsOfIndex(parsed as Record<string, unknown>, index.url, extension)) {
      const found = await client.head(shard);
      if (!found) throw new EngineError(EngineErrorCodes.invalidModel, `shard ${shard} listed in the index is missing on the Hub`, { file: client.url(shard) });
      out.push(found);
    }
    return out;
  }
  throw new EngineError(EngineErrorCodes.invalidModel, `"${client.repoId}" has no model.safetensors or pytorch_model.bin at this revision; pick a model (or revision) with PyTorch weights`, { file: client.url('model.safetensors') });
}

async function hasSize(path: string, size: number): Promise<boolean> {
  try {
    return (await stat(path)).size === size;
  } catch {
    return false;
  }
}

/** Downloads one blob into `<blob>.incomplete`, resuming with Range, retrying dropped connections, then renames it. */
async function fetchBlob(client: HubClient, file: RemoteFile, blob: string, options: DownloadOptions, onBytes: (n: number) => void): Promise<void> {
  await mkdir(dirname(blob), { recursive: true });
  const partial = `${blob}.incomplete`;
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchRange(client, file, partial, onBytes);
      break;
    } catch (err) {
      if (err instanceof EngineError || client.signalAborted() || attempt >= retries) {
        if (err instanceof EngineError) throw err;
        if (client.signalAborted()) throw cancelled();
        throw new EngineError(EngineErrorCodes.invalidModel, `download of ${file.file} failed after ${retries + 1} attempts (${(err as Error).message}); run again to resume`, { file: file.url });
      }
      await sleep((options.retryDelayMs ?? 1000) * (attempt + 1), options.signal);
    }
  }
  if (file.sha256 && (await sha256Of(partial)) !== file.sha256) {
    await rm(partial, { force: true });
    throw new EngineError(EngineErrorCodes.invalidModel, `the downloaded ${file.file} does not match its sha256 (corrupted in transit); run again to download it afresh`, { file: file.url });
  }
  await rename(partial, blob);
}

/**
 * One request for the rest of the file; throws (after keeping what arrived) when the connection drops. Never
 * writes past the size declared by HEAD: a longer body (or a longer Content-Length) stops the download and
 * removes the partial file, so a server that streams forever cannot fill the disk.
 */
async function fetchRange(client: HubClient, file: RemoteFile, partial: string, onBytes: (n: number) => void): Promise<void> {
  let have = (await stat(partial).catch(() => undefined))?.size ?? 0;
  if (have > file.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  if (have === file.size) return;
  const res = await client.request(file.url, { headers: client.headers(file.url, have > 0 ? { Range: `bytes=${have}-` } : {}) });
  if (res.status !== 200 && res.status !== 206) {
    throw new EngineError(EngineErrorCodes.invalidModel, `the Hub answered HTTP ${res.status} while downloading ${file.file}; try again later`, { file: file.url });
  }
  // 200 means the server ignored Range: start over rather than append a second copy.
  const append = res.status === 206 && have > 0;
  if (!append) have = 0;
  const refuse = async (): Promise<never> => {
    await res.body?.cancel().catch(() => undefined);
    await rm(partial, { force: true });
    throw overDeclaredSize(file);
  };
  const length = res.headers.get('content-length');
  if (length !== null && Number(length) > file.size - have) await refuse();
  const fh = await open(partial, append ? 'a' : 'w');
  let tooLong = false;
  try {
    onBytes(have);
    if (!res.body) throw new Error('empty response');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (have + chunk.length > file.size) {
        tooLong = true;
        break;
      }
      await fh.write(chunk);
      have += chunk.length;
      onBytes(have);
    }
  } finally {
    await fh.close();
  }
  if (tooLong) await refuse();
  if (have !== file.size) throw new Error(`received ${have} of ${file.size} bytes`);
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (d) => hash.update(d)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(cancelled()); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** snapshots/<commit>/<file> → relative symlink into blobs/, as huggingface_hub does; a copy where links are not allowed. */
async function linkIntoSnapshot(blob: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const link = relative(dirname(target), blob);
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await readlink(target).catch(() => undefined)) === link) return;
    await unlink(target).catch(() => undefined);
    try {
      await symlink(link, target);
      return;
    } catch (err) {
      // Another download made the link between our unlink and symlink: look again.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') break;
    }
  }
  // No symlinks here (Windows without developer mode): a copy, renamed over the target so it never writes
  // through an existing link into the blob itself.
  const temp = uniqueTemp(target);
  await copyFile(blob, temp);
  await rename(temp, target);
}

function uniqueTemp(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = uniqueTemp(path);
  await writeFile(temp, text);
  await rename(temp, path);
}
