// The few HTTP requests a model download makes to the Hub (or HF_ENDPOINT): HEAD for a file's metadata and GET
// for its bytes, with network and HTTP failures turned into messages a user can act on.
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { option } from '../../common/optionWording';
import { checkRedirect, checkServerCommit, checkServerEtag } from './cachePaths';
import { byteCapFor, hasByteCap } from '../boundedFile';

/** What HEAD on `/resolve/` tells us about one file. */
export interface RemoteFile {
  file: string;
  url: string;
  commit?: string;
  /** Blob name in the cache: sha256 for LFS files, git blob id otherwise. */
  etag: string;
  size: number;
  /** Set for LFS files: the sha256 the downloaded bytes must have. */
  sha256?: string;
}

/** The error every cancelled download step throws. */
export function cancelled(): EngineError {
  return new EngineError(EngineErrorCodes.cancelled, 'model download cancelled; run again to resume where it stopped');
}

/** The few Hub requests we make, with errors turned into messages a user can act on. */
export class HubClient {
  constructor(
    readonly endpoint: string,
    readonly repoId: string,
    readonly revision: string,
    private readonly token: string | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  url(file: string): string {
    return `${this.endpoint}/${this.repoId}/resolve/${encodeURIComponent(this.revision)}/${file}`;
  }

  /** Request headers for `url`; the token goes only to the endpoint itself, never to the storage it redirects to. */
  headers(url: string, extra: Record<string, string> = {}): Record<string, string> {
    // identity: sizes must be the bytes on disk, and Range offsets must mean file offsets.
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': 'classifier-workbench', ...extra };
    if (this.token && new URL(url).origin === new URL(this.endpoint).origin) headers.Authorization = `Bearer ${this.token}`;
    return headers;
  }

  signalAborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  async request(url: string, init: RequestInit): Promise<Response> {
    if (this.signal?.aborted) throw cancelled();
    try {
      return await fetch(url, { ...init, signal: this.signal });
    } catch (err) {
      if (this.signal?.aborted) throw cancelled();
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = `cannot reach ${this.endpoint} (${cause?.code ?? cause?.message ?? (err as Error).message}); check the connection, set HF_ENDPOINT to a mirror, or download the model folder`;
      throw EngineError.worded(EngineErrorCodes.invalidModel, (s) => (s === 'cli' ? `${why} and pass its path` : `${why} and pick it with ${option('modelFolder', s)}`), { file: url });
    }
  }

  /**
   * File metadata, or undefined when the repo has no such file. Follows the Hub's own redirects (a renamed repo,
   * `/api/resolve-cache/`) but not the one to LFS storage, whose response carries the file's sha256 and size.
   */
  async head(file: string): Promise<RemoteFile | undefined> {
    let url = this.url(file);
    let commit: string | undefined;
    for (let hop = 0; hop < 5; hop++) {
      const res = await this.request(url, { method: 'HEAD', redirect: 'manual', headers: this.headers(url) });
      if (res.status === 404) return undefined;
      if (res.status === 401 || res.status === 403) {
        throw new EngineError(EngineErrorCodes.invalidModel, `the Hub refused access to "${this.repoId}" (HTTP ${res.status}): it may be private or gated; accept its terms on the Hub and set HF_TOKEN`, { file: url });
      }
      const sentCommit = res.headers.get('x-repo-commit');
      if (sentCommit !== null) commit ??= sentCommit;
      if (sentCommit !== null) checkServerCommit(sentCommit, url);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const target = checkRedirect(location, url);
        const relative = !/^([a-z][a-z0-9+.-]*:)?\/\//i.test(location);
        if (!res.headers.has('x-linked-etag') && (relative || target.origin === new URL(url).origin)) {
          url = target.href;
          continue;
        }
        return this.describe(file, res, target.href, commit);
      }
      if (!res.ok) {
        throw new EngineError(EngineErrorCodes.invalidModel, `the Hub answered HTTP ${res.status} for ${file}; try again later`, { file: url });
      }
      return this.describe(file, res, url, commit);
    }
    throw new EngineError(EngineErrorCodes.invalidModel, 'too many redirects', { file: url });
  }

  private describe(file: string, res: Response, url: string, commit: string | undefined): RemoteFile {
    const linkedEtag = res.headers.get('x-linked-etag');
    const etag = (linkedEtag ?? res.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
    const sizeHeader = res.headers.get('x-linked-size') ?? res.headers.get('content-length') ?? '';
    const size = Number(sizeHeader);
    if (!etag || !/^\d{1,16}$/.test(sizeHeader) || !Number.isSafeInteger(size)) {
      throw new EngineError(EngineErrorCodes.invalidModel, `the server gave no usable ETag/size for ${file}; is HF_ENDPOINT a Hugging Face Hub?`, { file: url });
    }
    checkServerEtag(etag, file, url);
    // The small files have a cap when read (boundedFile.ts); one declared over it is not worth fetching or buffering.
    if (hasByteCap(file) && size > byteCapFor(file)) {
      throw new EngineError(EngineErrorCodes.invalidModel, `the server declares ${size} bytes for ${file}, over its cap of ${byteCapFor(file)} bytes; refusing to download it (is it the right repo?)`, { file: url });
    }
    return { file, url, etag, size, commit, sha256: linkedEtag && etag.length === 64 ? etag : undefined };
  }

  /**
   * The text of a small file (an index), read to at most its declared size: a server that sends more is refused
   * rather than buffered without end.
   */
  async getText(file: RemoteFile): Promise<string> {
    const res = await this.request(file.url, { headers: this.headers(file.url) });
    if (!res.ok) throw new EngineError(EngineErrorCodes.invalidModel, `the Hub answered HTTP ${res.status}`, { file: file.url });
    const chunks: Uint8Array[] = [];
    let have = 0;
    for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
      have += chunk.length;
      if (have > file.size) {
        await res.body?.cancel().catch(() => undefined);
        throw overDeclaredSize(file);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/** The error for a body longer than the size the server declared for it (Content-Length / X-Linked-Size). */
export function overDeclaredSize(file: RemoteFile): EngineError {
  return new EngineError(EngineErrorCodes.invalidModel, `the server sent more than the ${file.size} bytes it declared for ${file.file}; the download was stopped and its partial file removed (is HF_ENDPOINT a Hugging Face Hub?)`, { file: file.url });
}
