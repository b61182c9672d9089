// What the Hub says about a model repo before anything is downloaded: its file listing (names and sizes, from
// `GET /api/models/{repo}/tree/{revision}`, the endpoint huggingface_hub's `list_repo_tree` uses) and its small
// config.json. Never a weights file. Every failure is a typed `HubUnavailable` whose message is one line a user
// can act on, so a caller can say why it did without the Hub (offline, unreachable, too slow to answer).
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { byteCapFor } from '../boundedFile';
import { isRepoId } from '../../common/modelArgument';
import { TOKENIZER_FILES } from './modelFolder';

/** One file of a repo's listing. */
export interface RepoFile {
  /** Path inside the repo. */
  path: string;
  /** Bytes a download fetches: the LFS object's size for LFS files, else the file's. */
  bytes: number;
}

/** Why the Hub could not be used: `offline` (by choice), `unreachable`, `timeout`, `http` (an error status), `badAnswer`. */
export type HubUnavailableKind = 'offline' | 'unreachable' | 'timeout' | 'http' | 'badAnswer';

/** The Hub could not answer; `message` is one line saying why and what to do. */
export class HubUnavailable extends Error {
  constructor(readonly kind: HubUnavailableKind, message: string) {
    super(message);
    this.name = 'HubUnavailable';
  }
}

export interface HubQueryOptions {
  /** e.g. https://huggingface.co (HF_ENDPOINT), no trailing slash. */
  endpoint: string;
  /** Branch, tag or commit; default `main`. */
  revision?: string;
  /** Bearer token for private or gated repos (HF_TOKEN). */
  token?: string;
  /** Aborts the request; a `TimeoutError` reason (AbortSignal.timeout) is reported as `timeout`. */
  signal?: AbortSignal;
}

/** A listing is a few hundred bytes per file; a model repo's root holds tens of files. Larger answers are refused. */
const maxListingBytes = 4 * 1024 * 1024;

const truthy = (v: string | undefined): boolean => /^(1|true|yes|on)$/i.test(v ?? '');

/**
 * Why the Hub must not be used, when it must not: huggingface_hub's `HF_HUB_OFFLINE` or transformers'
 * `TRANSFORMERS_OFFLINE` set to 1/true/yes/on.
 * @returns one clause such as `HF_HUB_OFFLINE is set`, or undefined when online use is allowed
 */
export function offlineReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE']) if (truthy(env[name])) return `${name} is set`;
  return undefined;
}

/**
 * The files at the root of a repo with their sizes, or undefined when the repo (or revision) does not exist.
 * Only the first page of the listing is read (the Hub pages after 1,000 entries; model folders hold far fewer).
 * @throws HubUnavailable when the endpoint cannot be reached, does not answer before `signal` times out, refuses
 *   access or answers something that is not a listing
 */
export async function listRepoFiles(repoId: string, options: HubQueryOptions): Promise<RepoFile[] | undefined> {
  const url = `${options.endpoint}/api/models/${checkedRepo(repoId)}/tree/${encodeURIComponent(options.revision ?? 'main')}`;
  const res = await hubGet(url, options);
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const text = await readCapped(res, url, maxListingBytes, options.endpoint);
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    throw badAnswer(options.endpoint, url, 'a file listing that is not JSON');
  }
  if (!Array.isArray(entries)) throw badAnswer(options.endpoint, url, 'a file listing that is not a JSON array');
  const files: RepoFile[] = [];
  for (const entry of entries as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const { type, path, size, lfs } = entry as { type?: unknown; path?: unknown; size?: unknown; lfs?: { size?: unknown } };
    if (type !== 'file' || typeof path !== 'string') continue;
    const bytes = typeof lfs?.size === 'number' ? lfs.size : size;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) throw badAnswer(options.endpoint, url, `no usable size for ${JSON.stringify(path.slice(0, 100))}`);
    files.push({ path, bytes });
  }
  return files;
}

/**
 * A repo's config.json, parsed, or undefined when the repo has none. Read to at most the config cap
 * (`boundedFile.ts`): a server that sends more is refused rather than buffered.
 * @throws HubUnavailable as `listRepoFiles`, and for a config.json that is not a JSON object
 */
export async function fetchRepoConfig(repoId: string, options: HubQueryOptions): Promise<Record<string, unknown> | undefined> {
  const url = `${options.endpoint}/${checkedRepo(repoId)}/resolve/${encodeURIComponent(options.revision ?? 'main')}/config.json`;
  const res = await hubGet(url, options);
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const text = await readCapped(res, url, byteCapFor('config.json'), options.endpoint);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badAnswer(options.endpoint, url, 'a config.json that is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badAnswer(options.endpoint, url, 'a config.json that is not a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The files a download of this listing fetches, chosen as `downloadModel` (hubDownload.ts) chooses them:
 * config.json, then model.safetensors, else the safetensors index and its shards (named
 * `model-NNNNN-of-NNNNN.safetensors`, the form transformers writes), else pytorch_model.bin or its index and
 * shards, then the tokenizer files present.
 * @returns undefined when the listing has no config.json or no weights the engine reads
 */
export function filesToDownload(listing: readonly RepoFile[]): RepoFile[] | undefined {
  const byPath = new Map(listing.map((f) => [f.path, f]));
  const config = byPath.get('config.json');
  if (!config) return undefined;
  let weights: RepoFile[] | undefined;
  for (const [single, index, shard] of [
    ['model.safetensors', 'model.safetensors.index.json', /^model-\d+-of-\d+\.safetensors$/],
    ['pytorch_model.bin', 'pytorch_model.bin.index.json', /^pytorch_model-\d+-of-\d+\.bin$/],
  ] as const) {
    const one = byPath.get(single);
    if (one) {
      weights = [one];
      break;
    }
    const indexFile = byPath.get(index);
    const shards = listing.filter((f) => shard.test(f.path));
    if (indexFile && shards.length > 0) {
      weights = [indexFile, ...shards];
      break;
    }
  }
  if (!weights) return undefined;
  const tokenizer = TOKENIZER_FILES.map((name) => byPath.get(name)).filter((f): f is RepoFile => f !== undefined);
  return [config, ...weights, ...tokenizer];
}

function checkedRepo(repoId: string): string {
  if (!isRepoId(repoId)) throw new EngineError(EngineErrorCodes.invalidOption, `${JSON.stringify(repoId.slice(0, 200))} is not a Hugging Face model id (org/name)`);
  return repoId;
}

/** GET with the token (to the endpoint only), redirects followed; network failures and timeouts as HubUnavailable. */
async function hubGet(url: string, options: HubQueryOptions): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': 'classifier-workbench', Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    // The token must not follow a redirect to another host: fetch drops Authorization on a cross-origin redirect.
    res = await fetch(url, { headers, signal: options.signal, redirect: 'follow' });
  } catch (err) {
    throw networkFailure(err, options);
  }
  if (res.status === 404 || res.ok) return res;
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403) throw new HubUnavailable('http', `${options.endpoint} refused the request (HTTP ${res.status}); set HF_TOKEN if your Hub needs one`);
  throw new HubUnavailable('http', `${options.endpoint} answered HTTP ${res.status}; try again later`);
}

function networkFailure(err: unknown, options: HubQueryOptions): HubUnavailable {
  const reason = options.signal?.reason as { name?: string } | undefined;
  if (options.signal?.aborted && reason?.name === 'TimeoutError') {
    return new HubUnavailable('timeout', `${options.endpoint} did not answer in time; check the connection, or set HF_ENDPOINT to a mirror`);
  }
  if (options.signal?.aborted) return new HubUnavailable('unreachable', 'the Hub query was cancelled');
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return new HubUnavailable('unreachable', `cannot reach ${options.endpoint} (${cause?.code ?? cause?.message ?? (err as Error).message}); check the connection, or set HF_ENDPOINT to a mirror`);
}

async function readCapped(res: Response, url: string, cap: number, endpoint: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let have = 0;
  try {
    for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
      have += chunk.length;
      if (have > cap) {
        await res.body?.cancel().catch(() => undefined);
        throw badAnswer(endpoint, url, `more than ${cap} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HubUnavailable) throw err;
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new HubUnavailable('timeout', `${endpoint} did not answer in time; check the connection, or set HF_ENDPOINT to a mirror`);
    throw new HubUnavailable('unreachable', `the connection to ${endpoint} broke (${(err as Error).message}); try again`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function badAnswer(endpoint: string, url: string, what: string): HubUnavailable {
  return new HubUnavailable('badAnswer', `${endpoint} sent ${what} for ${url}; is HF_ENDPOINT a Hugging Face Hub?`);
}
