/**
 * A framing filter in front of the JSON-RPC reader: messages whose Content-Length exceeds a limit are skipped
 * without buffering them, and reported so the server can answer with an error instead of running out of memory.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** What the filter tells the server about a refused message. */
export interface OversizedMessage {
  bytes: number;
  /** The request id, when it appears near the start of the body (then the caller's request fails instead of hanging). */
  id: number | string | null;
}

const headerEnd = Buffer.from('\r\n\r\n');
// The id is looked for only in the first bytes of a refused body: enough for `{"jsonrpc":"2.0","id":12,...`.
const idScanBytes = 256;

/**
 * Returns a Transform that passes well-formed, small enough messages through unchanged and drops larger ones,
 * calling `onOversized` once per dropped message.
 * @param maxBytes largest accepted body, in bytes.
 */
export function createMessageSizeLimit(maxBytes: number, onOversized: (info: OversizedMessage) => void): Transform {
  let pending: Buffer = Buffer.alloc(0);
  // While skipping a refused body: bytes still to drop, and the body's first bytes for the id.
  let skipRemaining = 0;
  let skipHead: Buffer = Buffer.alloc(0);
  let skipBytes = 0;

  function finishSkip(): void {
    const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(skipHead.toString('utf8'));
    const id = match ? (JSON.parse(match[1]!) as number | string) : null;
    onOversized({ bytes: skipBytes, id });
    skipHead = Buffer.alloc(0);
  }

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      let data: Buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      for (;;) {
        if (skipRemaining > 0) {
          const take = Math.min(skipRemaining, data.length);
          if (skipHead.length < idScanBytes) skipHead = Buffer.concat([skipHead, data.subarray(0, Math.min(take, idScanBytes - skipHead.length))]);
          skipRemaining -= take;
          data = data.subarray(take);
          if (skipRemaining > 0) break;
          finishSkip();
          continue;
        }
        const end = data.indexOf(headerEnd);
        if (end < 0) {
          pending = data;
          break;
        }
        const header = data.subarray(0, end).toString('ascii');
        const lengthMatch = /Content-Length:\s*(\d+)/i.exec(header);
        const length = lengthMatch ? Number(lengthMatch[1]) : NaN;
        const total = end + headerEnd.length + length;
        if (Number.isFinite(length) && length > maxBytes) {
          skipBytes = length;
          skipRemaining = length;
          data = data.subarray(end + headerEnd.length);
          continue;
        }
        // Malformed headers are passed on: the JSON-RPC reader reports them as read errors.
        if (!Number.isFinite(length) || data.length >= total) {
          const cut = Number.isFinite(length) ? total : end + headerEnd.length;
          this.push(data.subarray(0, cut));
          data = data.subarray(cut);
          continue;
        }
        pending = data;
        break;
      }
      callback();
    },
  });
}
