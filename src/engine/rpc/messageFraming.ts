/**
 * The framing guard in front of the JSON-RPC reader. `vscode-jsonrpc`'s reader trusts its input: after one frame
 * with a bad header (`Content-Length: abc`, negative, missing, LF-only lines) or a length that does not match the
 * body it loses its place and never reads another message, though the process lives. So every frame is checked
 * here first and only well-formed ones reach it, re-framed with a canonical header:
 *
 * - a header block is `Name: value` lines, each ending in CRLF, closed by an empty line, at most 8 KiB, with exactly
 *   one decimal `Content-Length` (> 0) and, if any, a UTF-8 `Content-Type`;
 * - a body is exactly `Content-Length` bytes of JSON whose top level is an object;
 * - a body longer than `maxBytes` is skipped unread and reported with its request id (the caller gets an error
 *   instead of the engine running out of memory).
 *
 * Anything else is reported as malformed and the guard resynchronises: it drops bytes up to the next
 * `Content-Length:` / `Content-Type:` header and goes on, so the next well-formed request is answered.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** What the guard tells the server about a refused message. */
export interface OversizedMessage {
  bytes: number;
  /** The request id, when it appears near the start of the body (then the caller's request fails instead of hanging). */
  id: number | string | null;
}

export interface MessageFramingHandlers {
  /** A message larger than the limit was skipped. */
  onOversized(info: OversizedMessage): void;
  /** A frame was malformed and dropped; `reason` says how (for the log and a JSON-RPC parse error). */
  onMalformed(reason: string): void;
}

const crlf2 = Buffer.from('\r\n\r\n');
/** Longest header block accepted; real ones are under 100 bytes. */
export const maxHeaderBytes = 8192;
// The id is looked for only in the first bytes of a refused body: enough for `{"jsonrpc":"2.0","id":12,...`.
const idScanBytes = 256;
const headerLine = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*([^\r\n]*?)[ \t]*$/;
/** Where a header block may start, for resynchronising after garbage. */
const headerStart = /content-(?:length|type)[ \t]*:/gi;
/**
 * A `Content-Length:` line ended by a raw line break, found inside an unfinished body: a JSON text cannot hold it
 * (a raw CR/LF cannot sit inside a string, and outside strings `Content-Length` is not JSON), so the body is
 * certainly broken and the next frame starts there. Lets a too-large `Content-Length` give up at once instead of
 * swallowing the requests that follow it.
 */
const headerInBody = /content-length[ \t]*:[^\r\n"\\]{0,64}\r?\n/i;
/** Longer than any `headerInBody` match: new bytes are scanned together with this many bytes before them. */
const headerInBodyOverlap = 128;

/** Offset of the next header start at or after `from`, or -1. */
function findHeaderStart(data: Buffer, from: number): number {
  headerStart.lastIndex = from;
  const match = headerStart.exec(data.toString('latin1'));
  return match ? match.index : -1;
}

type HeaderVerdict =
  | { kind: 'incomplete' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'ok'; headerBytes: number; length: number };

/** Parses the header block at the start of `data`. */
function readHeader(data: Buffer): HeaderVerdict {
  const end = data.indexOf(crlf2);
  const block = data.subarray(0, end < 0 ? Math.min(data.length, maxHeaderBytes + 4) : end).toString('latin1');
  // Every complete line so far must already be a CRLF-terminated header line.
  const lines = block.split('\n');
  const complete = end < 0 ? lines.slice(0, -1) : block.split('\r\n');
  for (const line of end < 0 ? complete : []) {
    if (!line.endsWith('\r')) return { kind: 'malformed', reason: 'header lines must end in CRLF' };
    if (!headerLine.test(line.slice(0, -1))) return { kind: 'malformed', reason: `not a header line: ${JSON.stringify(line.slice(0, 40))}` };
  }
  if (end < 0) {
    if (data.length > maxHeaderBytes) return { kind: 'malformed', reason: `no end of headers within ${maxHeaderBytes} bytes` };
    const partial = lines.at(-1)!;
    if (partial && !/^[A-Za-z0-9-]*(?:[ \t]*:[^\r\n]*)?\r?$/.test(partial)) return { kind: 'malformed', reason: `not a header line: ${JSON.stringify(partial.slice(0, 40))}` };
    return { kind: 'incomplete' };
  }
  if (end > maxHeaderBytes) return { kind: 'malformed', reason: `headers longer than ${maxHeaderBytes} bytes` };
  let length: number | undefined;
  for (const line of complete) {
    const match = headerLine.exec(line);
    if (!match || line.includes('\r') || line.includes('\n')) return { kind: 'malformed', reason: `not a header line: ${JSON.stringify(line.slice(0, 40))}` };
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    if (name === 'content-length') {
      if (length !== undefined) return { kind: 'malformed', reason: 'two Content-Length headers' };
      if (!/^\d{1,15}$/.test(value) || Number(value) === 0) return { kind: 'malformed', reason: `Content-Length must be a positive whole number of bytes, got ${JSON.stringify(value.slice(0, 40))}` };
      length = Number(value);
    } else if (name === 'content-type') {
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(value)?.[1]?.toLowerCase();
      if (charset && charset !== 'utf-8' && charset !== 'utf8') return { kind: 'malformed', reason: `only UTF-8 bodies are read, got charset ${JSON.stringify(charset)}` };
    }
  }
  if (length === undefined) return { kind: 'malformed', reason: 'no Content-Length header' };
  return { kind: 'ok', headerBytes: end + crlf2.length, length };
}

/** Why `body` is not a JSON-RPC message object, or undefined when it is one. */
function bodyProblem(body: Buffer): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return `body is not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'body is not a JSON object';
}

/**
 * Returns a Transform that passes well-formed messages of at most `maxBytes` body bytes on as canonical frames
 * (`Content-Length: n\r\n\r\n` + body) and drops everything else, telling `handlers` once per dropped frame.
 * Never throws and never stops reading: after a bad frame it resumes at the next header.
 * @param maxBytes largest accepted body, in bytes.
 */
export function createMessageFraming(maxBytes: number, handlers: MessageFramingHandlers): Transform {
  // Bytes not yet consumed, kept as a list while a body is still arriving (joined once, not once per chunk).
  let parts: Buffer[] = [];
  let partsBytes = 0;
  // While skipping a refused body: bytes still to drop, and the body's first bytes for the id.
  let skipRemaining = 0;
  let skipHead: Buffer = Buffer.alloc(0);
  let skipBytes = 0;
  // The last bytes skipped, scanned together with the next ones for a header cut by a chunk boundary.
  let skipTail: Buffer = Buffer.alloc(0);
  // While reading a body: its length and the size of the header before it (the body starts there).
  let body: { headerBytes: number; length: number } | undefined;
  // After a bad frame, until the next good header: further garbage is dropped without another report.
  let resyncing = false;

  function finishSkip(): void {
    const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(skipHead.toString('utf8'));
    const id = match ? (JSON.parse(match[1]!) as number | string) : null;
    handlers.onOversized({ bytes: skipBytes, id });
    skipHead = Buffer.alloc(0);
    skipTail = Buffer.alloc(0);
  }

  /** Drops a bad frame starting at `data[0]`: resumes at the next header start at or after `from`. */
  function resync(data: Buffer, from: number, reason: string): Buffer {
    if (!resyncing) handlers.onMalformed(reason);
    resyncing = true;
    body = undefined;
    const next = findHeaderStart(data, Math.max(1, from));
    // Keep a short tail with no header start: it may be the beginning of one cut by the chunk boundary.
    return next >= 0 ? data.subarray(next) : data.subarray(Math.max(1, data.length - 16));
  }

  /** True when `chunk` only extends a body still short of its length and holds no sign of the next frame. */
  function stillInBody(chunk: Buffer): boolean {
    if (!body || skipRemaining > 0 || partsBytes + chunk.length >= body.headerBytes + body.length) return false;
    const last = parts.at(-1);
    const overlap = last ? last.subarray(Math.max(0, last.length - headerInBodyOverlap)) : Buffer.alloc(0);
    return !headerInBody.test(Buffer.concat([overlap, chunk]).toString('latin1'));
  }

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (stillInBody(chunk)) {
        parts.push(chunk);
        partsBytes += chunk.length;
        callback();
        return;
      }
      let data: Buffer = parts.length ? Buffer.concat([...parts, chunk]) : chunk;
      parts = [];
      partsBytes = 0;
      for (;;) {
        if (skipRemaining > 0) {
          const take = Math.min(skipRemaining, data.length);
          if (skipHead.length < idScanBytes) skipHead = Buffer.concat([skipHead, data.subarray(0, Math.min(take, idScanBytes - skipHead.length))]);
          // A header inside the skipped bytes: the body was shorter than it claimed; the next frame starts there
          // (skipped bytes are only dropped, never passed on, so the recent ones can still be taken back).
          const seen = Buffer.concat([skipTail, data.subarray(0, take)]);
          const stray = headerInBody.exec(seen.toString('latin1'));
          if (stray) {
            data = Buffer.concat([seen.subarray(stray.index), data.subarray(take)]);
            skipRemaining = 0;
            finishSkip();
            continue;
          }
          skipTail = seen.subarray(Math.max(0, seen.length - headerInBodyOverlap));
          skipRemaining -= take;
          data = data.subarray(take);
          if (skipRemaining > 0) break;
          finishSkip();
          continue;
        }
        if (data.length === 0) break;
        if (body) {
          const { headerBytes, length } = body;
          const available = data.subarray(headerBytes, headerBytes + length);
          if (available.length < length) {
            const stray = headerInBody.exec(available.toString('latin1'));
            if (stray) {
              data = resync(data, headerBytes + stray.index, 'body shorter than its Content-Length (the next header came first)');
              continue;
            }
            parts = [data];
            partsBytes = data.length;
            break;
          }
          const problem = bodyProblem(available);
          if (problem) {
            data = resync(data, headerBytes, problem);
            continue;
          }
          this.push(Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'), available]));
          data = data.subarray(headerBytes + length);
          body = undefined;
          continue;
        }
        // Garbage where a header should start (the tail of a body that was shorter than its Content-Length, ...).
        if (!/^[A-Za-z0-9-]/.test(data.toString('latin1', 0, 1))) {
          data = resync(data, 1, 'bytes outside any frame');
          continue;
        }
        const header = readHeader(data);
        if (header.kind === 'incomplete') {
          parts = [data];
          partsBytes = data.length;
          break;
        }
        if (header.kind === 'malformed') {
          data = resync(data, 1, header.reason);
          continue;
        }
        resyncing = false;
        if (header.length > maxBytes) {
          skipBytes = header.length;
          skipRemaining = header.length;
          data = data.subarray(header.headerBytes);
          continue;
        }
        body = { headerBytes: header.headerBytes, length: header.length };
      }
      callback();
    },
  });
}
