// A local HTTP server that serves a model folder the way the Hugging Face Hub does, for download tests that must
// never touch the real network: /{repo}/resolve/{revision}/{file} with X-Repo-Commit and ETag headers, LFS files
// redirected to a storage URL with X-Linked-Etag (sha256) and X-Linked-Size, HTTP Range, and optional faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface HubServerOptions {
  /** Folder whose files the repo holds. */
  modelDir: string;
  /** Repo id served, e.g. `org/tiny-bert`. */
  repo: string;
  /** Commit hash reported for every revision; default a fixed 40-hex value. */
  commit?: string;
  /** Files served as LFS (redirected, sha256 ETag); default every file over 1 MB. */
  lfsFiles?: string[];
  /** Only these files of the folder exist in the repo (default all); extra files can be added with `extraFiles`. */
  files?: string[];
  extraFiles?: Record<string, Buffer>;
  /** When set, requests need `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** Serve regular files through a relative redirect to `/api/resolve-cache/...`, as the Hub does for some files. */
  resolveCache?: boolean;
}

export interface HubRequest {
  method: string;
  path: string;
  range?: string;
}

export interface HubServer {
  /** Base URL to use as HF_ENDPOINT, e.g. http://127.0.0.1:41234 */
  url: string;
  commit: string;
  requests: HubRequest[];
  /** Cut the connection after sending this many body bytes, for the next `times` responses longer than that (resume tests). */
  dropAfter(bytes: number, times?: number): void;
  /** Send this many bytes per write with a pause between, so a download can be aborted midway. */
  throttle(chunkBytes: number, pauseMs: number): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const commit = options.commit ?? '0123456789abcdef0123456789abcdef01234567';
  const contents = new Map<string, Buffer>();
  for (const name of options.files ?? readdirSync(options.modelDir)) {
    const path = join(options.modelDir, name);
    if (statSync(path).isFile()) contents.set(name, readFileSync(path));
  }
  for (const [name, bytes] of Object.entries(options.extraFiles ?? {})) contents.set(name, bytes);
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  // The Hub's ETag of a regular file is its git blob id.
  const gitSha1 = (b: Buffer): string => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
  const lfs = new Set(options.lfsFiles ?? [...contents].filter(([, b]) => b.length > 1024 * 1024).map(([n]) => n));
  const byHash = new Map([...contents].filter(([n]) => lfs.has(n)).map(([, b]) => [sha256(b), b] as const));

  const requests: HubRequest[] = [];
  let drop = { bytes: 0, times: 0 };
  let pace = { chunkBytes: 0, pauseMs: 0 };

  const sendBody = (req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>): void => {
    let start = 0;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    const part = body.subarray(start);
    res.writeHead(status, { ...headers, 'Content-Length': String(part.length), 'Accept-Ranges': 'bytes' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    let limit = part.length;
    if (drop.times > 0 && part.length > drop.bytes) {
      drop.times--;
      limit = drop.bytes;
    }
    const chunk = pace.chunkBytes || 64 * 1024;
    let at = 0;
    const writeMore = (): void => {
      if (res.destroyed) return;
      if (at >= limit) {
        // Drop mid-file once what was written has left: the client keeps exactly `limit` bytes.
        if (limit < part.length) res.write('', () => res.socket?.destroy());
        else res.end();
        return;
      }
      const next = part.subarray(at, Math.min(limit, at + chunk));
      at += next.length;
      const ok = res.write(next);
      if (pace.pauseMs) setTimeout(writeMore, pace.pauseMs);
      else if (ok) setImmediate(writeMore);
      else res.once('drain', writeMore);
    };
    writeMore();
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, range: req.headers.range });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'X-Error-Code': 'GatedRepo' }).end('unauthorized');
      return;
    }
    const storage = /^\/lfs-storage\/([0-9a-f]{64})$/.exec(url.pathname);
    if (storage) {
      const body = byHash.get(storage[1]);
      if (!body) res.writeHead(404).end();
      else sendBody(req, res, body, { 'Content-Type': 'application/octet-stream' });
      return;
    }
    const cached = new RegExp(`^/api/resolve-cache/models/${options.repo}/([0-9a-f]{40})/(.+)$`).exec(url.pathname);
    if (cached) {
      const body = contents.get(decodeURIComponent(cached[2]));
      if (!body || cached[1] !== commit) res.writeHead(404).end();
      else sendBody(req, res, body, { 'X-Repo-Commit': commit, ETag: `"${gitSha1(body)}"`, 'Content-Type': 'application/octet-stream' });
      return;
    }
    const prefix = `/${options.repo}/resolve/`;
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404, { 'X-Error-Code': 'RepoNotFound' }).end('Repository not found');
      return;
    }
    const [revision, ...rest] = url.pathname.slice(prefix.length).split('/');
    const file = decodeURIComponent(rest.join('/'));
    const body = contents.get(file);
    if ((revision !== 'main' && revision !== commit) || !body) {
      res.writeHead(404, { 'X-Error-Code': revision === 'main' || revision === commit ? 'EntryNotFound' : 'RevisionNotFound' }).end('not found');
      return;
    }
    if (lfs.has(file)) {
      const hash = sha256(body);
      res.writeHead(302, {
        Location: `/lfs-storage/${hash}`,
        'X-Repo-Commit': commit,
        'X-Linked-Etag': `"${hash}"`,
        'X-Linked-Size': String(body.length),
        ETag: `"${hash}"`,
        'Content-Length': '0',
      }).end();
      return;
    }
    if (options.resolveCache) {
      res.writeHead(307, { Location: `/api/resolve-cache/models/${options.repo}/${commit}/${encodeURIComponent(file)}`, 'X-Repo-Commit': commit }).end();
      return;
    }
    sendBody(req, res, body, { 'X-Repo-Commit': commit, ETag: `"${gitSha1(body)}"`, 'Content-Type': 'application/octet-stream' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    commit,
    requests,
    dropAfter(bytes, times = 1) { drop = { bytes, times }; },
    throttle(chunkBytes, pauseMs) { pace = { chunkBytes, pauseMs }; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
