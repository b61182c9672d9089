// A local HTTP server that serves a model folder the way the Hugging Face Hub does, for download tests that must
// never touch the real network: /{repo}/resolve/{revision}/{file} with X-Repo-Commit and ETag headers, LFS files
// redirected to a storage URL with X-Linked-Etag (sha256) and X-Linked-Size, HTTP Range, the file listing
// /api/models/{repo}/tree/{revision} (names and sizes, as list_repo_tree reads it), and optional faults (a server that never answers) —
// among them the hostile answers of issue 17 (`hostile`), each one way a server could try to reach outside the cache.
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
  /** Revisions served besides `main` and the commit, e.g. `refs/pr/1` (as the client sends it, URL-encoded). */
  revisions?: string[];
  /**
   * Revisions with their own commit and files (served as regular files at `/resolve/<name>/` and
   * `/resolve/<commit>/`), e.g. the `refs/pr/N` the Hub's conversion bot opens with safetensors beside a
   * `main` that has only pytorch_model.bin.
   */
  branches?: { name: string; commit: string; modelDir: string; files?: string[] }[];
  /** One hostile answer; see `HostileAnswer`. */
  hostile?: HostileAnswer;
  /** Accept every connection and never answer (a Hub that hangs), for timeout tests. */
  stall?: boolean;
}

/**
 * The hostile answers a server can give, one per way a name from the network could become a path or a body could
 * grow without end. The server otherwise behaves like the Hub, and serves whatever a fooled client asks next.
 * - `commit`: every X-Repo-Commit is `value` (`../../../escaped`, an absolute path, ...).
 * - `etag`: every ETag (and X-Linked-Etag for LFS files) is `value` (`..`, `../x`, ...).
 * - `shardName`: no model.safetensors; model.safetensors.index.json names one shard, `value` (served too).
 * - `location`: LFS files redirect to `value` (`file:///etc/passwd`, a relative `../../..` path, ...).
 * - `endlessBody`: GET of `file` streams without Content-Length until the client hangs up (HEAD declares the
 *   real size); it gives up after 64 MiB so that a failing test still ends.
 * - `oversizedBody`: GET of `file` sends the real bytes then `extraBytes` more; with `declareLength` the
 *   Content-Length says so (the client can refuse before reading), else the body is chunked.
 * - `declaredSize`: HEAD of `file` declares `size` bytes (Content-Length), whatever the file holds.
 */
export type HostileAnswer =
  | { mode: 'commit'; value: string }
  | { mode: 'etag'; value: string }
  | { mode: 'shardName'; value: string }
  | { mode: 'location'; value: string }
  | { mode: 'endlessBody'; file: string }
  | { mode: 'oversizedBody'; file: string; extraBytes: number; declareLength?: boolean }
  | { mode: 'declaredSize'; file: string; size: number };

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
  const hostile = options.hostile;
  const sentCommit = hostile?.mode === 'commit' ? hostile.value : commit;
  const etagOf = (real: string): string => `"${hostile?.mode === 'etag' ? hostile.value : real}"`;
  const contents = new Map<string, Buffer>();
  for (const name of options.files ?? readdirSync(options.modelDir)) {
    const path = join(options.modelDir, name);
    if (statSync(path).isFile()) contents.set(name, readFileSync(path));
  }
  for (const [name, bytes] of Object.entries(options.extraFiles ?? {})) contents.set(name, bytes);
  if (hostile?.mode === 'shardName') {
    const weights = contents.get('model.safetensors');
    contents.delete('model.safetensors');
    if (weights) contents.set(hostile.value, weights);
    contents.set('model.safetensors.index.json', Buffer.from(JSON.stringify({ metadata: {}, weight_map: { 'bert.embeddings.word_embeddings.weight': hostile.value } })));
  }
  const branches = (options.branches ?? []).map((b) => {
    const own = new Map<string, Buffer>();
    for (const name of b.files ?? readdirSync(b.modelDir)) {
      if (statSync(join(b.modelDir, name)).isFile()) own.set(name, readFileSync(join(b.modelDir, name)));
    }
    return { name: b.name, commit: b.commit, contents: own };
  });
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  // The Hub's ETag of a regular file is its git blob id.
  const gitSha1 = (b: Buffer): string => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
  const lfs = new Set(options.lfsFiles ?? [...contents].filter(([, b]) => b.length > 1024 * 1024).map(([n]) => n));
  const byHash = new Map([...contents].filter(([n]) => lfs.has(n)).map(([, b]) => [sha256(b), b] as const));

  const requests: HubRequest[] = [];
  let drop = { bytes: 0, times: 0 };
  let pace = { chunkBytes: 0, pauseMs: 0 };

  /** The hostile GET bodies: endless (chunked, until the client hangs up) or longer than declared. */
  const sendHostileBody = (res: ServerResponse, body: Buffer, headers: Record<string, string>, extraBytes: number | undefined, declareLength: boolean): void => {
    const endless = extraBytes === undefined;
    res.writeHead(200, { ...headers, ...(declareLength ? { 'Content-Length': String(body.length + (extraBytes ?? 0)) } : {}) });
    res.write(body);
    let sent = 0;
    const limit = endless ? 64 * 1024 * 1024 : extraBytes;
    const filler = Buffer.alloc(64 * 1024, 0x41);
    const writeMore = (): void => {
      if (res.destroyed) return;
      if (sent >= limit) {
        res.end();
        return;
      }
      const next = filler.subarray(0, Math.min(filler.length, limit - sent));
      sent += next.length;
      if (res.write(next)) setImmediate(writeMore);
      else res.once('drain', writeMore);
    };
    writeMore();
  };

  const sendBody = (req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>, file?: string): void => {
    if (req.method === 'GET' && file !== undefined && (hostile?.mode === 'endlessBody' || hostile?.mode === 'oversizedBody') && hostile.file === file) {
      sendHostileBody(res, body, headers, hostile.mode === 'oversizedBody' ? hostile.extraBytes : undefined, hostile.mode === 'oversizedBody' && hostile.declareLength === true);
      return;
    }
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
    const declared = req.method === 'HEAD' && hostile?.mode === 'declaredSize' && hostile.file === file ? hostile.size : part.length;
    res.writeHead(status, { ...headers, 'Content-Length': String(declared), 'Accept-Ranges': 'bytes' });
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
    if (options.stall) return;
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'X-Error-Code': 'GatedRepo' }).end('unauthorized');
      return;
    }
    const storage = /^\/lfs-storage\/([0-9a-f]{64})$/.exec(url.pathname);
    if (storage) {
      const body = byHash.get(storage[1]);
      const name = [...contents].find(([, b]) => b === body)?.[0];
      if (!body) res.writeHead(404).end();
      else sendBody(req, res, body, { 'Content-Type': 'application/octet-stream' }, name);
      return;
    }
    // The file listing (huggingface_hub's list_repo_tree): one entry per file of the root, LFS files with their object.
    const tree = new RegExp(`^/api/models/${options.repo}/tree/([^/]+)$`).exec(url.pathname);
    if (tree) {
      const revision = decodeURIComponent(tree[1]);
      if (revision !== 'main' && revision !== commit && !(options.revisions ?? []).includes(revision)) {
        res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound' }).end('not found');
        return;
      }
      const entries = [...contents].map(([path, body]) => ({
        type: 'file', oid: gitSha1(body), size: body.length, path,
        ...(lfs.has(path) ? { lfs: { oid: sha256(body), size: body.length, pointerSize: 134 } } : {}),
      }));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(entries));
      return;
    }
    const cached = new RegExp(`^/api/resolve-cache/models/${options.repo}/([^/]+)/(.+)$`).exec(url.pathname);
    if (cached) {
      const file = decodeURIComponent(cached[2]);
      const body = contents.get(file);
      if (!body || decodeURIComponent(cached[1]) !== sentCommit) res.writeHead(404).end();
      else sendBody(req, res, body, { 'X-Repo-Commit': sentCommit, ETag: etagOf(gitSha1(body)), 'Content-Type': 'application/octet-stream' }, file);
      return;
    }
    const prefix = `/${options.repo}/resolve/`;
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404, { 'X-Error-Code': 'RepoNotFound' }).end('Repository not found');
      return;
    }
    const [encodedRevision, ...rest] = url.pathname.slice(prefix.length).split('/');
    const revision = decodeURIComponent(encodedRevision);
    const file = decodeURIComponent(rest.join('/'));
    const branch = branches.find((b) => b.name === revision || b.commit === revision);
    if (branch) {
      const own = branch.contents.get(file);
      if (!own) res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' }).end('not found');
      else sendBody(req, res, own, { 'X-Repo-Commit': branch.commit, ETag: `"${gitSha1(own)}"`, 'Content-Type': 'application/octet-stream' }, file);
      return;
    }
    const body = contents.get(file);
    const knownRevision = revision === 'main' || revision === commit || revision === sentCommit || (options.revisions ?? []).includes(revision);
    if (!knownRevision || !body) {
      res.writeHead(404, { 'X-Error-Code': knownRevision ? 'EntryNotFound' : 'RevisionNotFound' }).end('not found');
      return;
    }
    if (lfs.has(file)) {
      const hash = sha256(body);
      res.writeHead(302, {
        Location: hostile?.mode === 'location' ? hostile.value : `/lfs-storage/${hash}`,
        'X-Repo-Commit': sentCommit,
        'X-Linked-Etag': etagOf(hash),
        'X-Linked-Size': String(body.length),
        ETag: etagOf(hash),
        'Content-Length': '0',
      }).end();
      return;
    }
    if (options.resolveCache) {
      res.writeHead(307, { Location: `/api/resolve-cache/models/${options.repo}/${encodeURIComponent(sentCommit)}/${encodeURIComponent(file)}`, 'X-Repo-Commit': sentCommit }).end();
      return;
    }
    sendBody(req, res, body, { 'X-Repo-Commit': sentCommit, ETag: etagOf(gitSha1(body)), 'Content-Type': 'application/octet-stream' }, file);
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
