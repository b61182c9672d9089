// Streams a JSONL file line by line with bounded memory: one reused read buffer plus at most one line of
// carry-over, never the whole file. Handles a UTF-8 BOM, CRLF endings, invalid UTF-8 and oversized lines.
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { datasetOpenError } from './datasetOpenError';

/** What the reader hands out for each line (1-based `line`). */
export type JsonlLineEvent =
  /** A decoded line without its `\n`/`\r\n` (and without the BOM on line 1). May be empty or whitespace. */
  | { kind: 'text'; line: number; text: string }
  /** The line's bytes are not valid UTF-8; `byteOffset` is 0-based within the line. */
  | { kind: 'invalidUtf8'; line: number; byteOffset: number }
  /** The line exceeded `maxLineBytes`; it was skipped without being held in memory. `bytes` is its full size. */
  | { kind: 'oversized'; line: number; bytes: number }
  /** Line 1 starts with a UTF-16 byte-order mark: the whole file is UTF-16, and the lines that follow are garbage. */
  | { kind: 'utf16'; line: 1; byteOrder: 'LE' | 'BE' };

export interface JsonlReadOptions {
  /** Lines longer than this many bytes are reported as oversized and skipped. Default 1 MiB. */
  maxLineBytes?: number;
  /** Size of the one read buffer. Default 1 MiB. */
  chunkBytes?: number;
  /** Stops reading (throws EngineError `cancelled`) when aborted; checked once per chunk. */
  signal?: AbortSignal;
}

export interface JsonlReadSummary {
  /** Lines seen, including blank and skipped ones; a final newline does not start another line. */
  lines: number;
  bytes: number;
  hadBom: boolean;
}

export const defaultMaxLineBytes = 1024 * 1024;

/**
 * Reads `path` and calls `onLine` once per line, in order. Never throws for bad content (that is reported
 * through the events); throws EngineError `invalidDataset` if the file cannot be opened or read, and
 * passes on whatever `onLine` throws.
 * Use it for any JSONL input that may be large or malformed.
 */
export async function readJsonlLines(
  path: string,
  onLine: (event: JsonlLineEvent) => void,
  options: JsonlReadOptions = {},
): Promise<JsonlReadSummary> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  const chunk = Buffer.allocUnsafe(options.chunkBytes ?? 1024 * 1024);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw datasetOpenError(path, err);
  }
  // Carry-over of a line that spans chunks; `skipping` means the current line is oversized and is only counted.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let line = 0;
  let total = 0;
  let hadBom = false;

  const emitLineBytes = (bytes: Buffer): void => {
    line++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    let start = 0;
    if (line === 1 && end >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      onLine({ kind: 'utf16', line: 1, byteOrder: bytes[0] === 0xff ? 'LE' : 'BE' });
      return;
    }
    if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      start = 3;
      hadBom = true;
    }
    const body = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    if (isUtf8(body)) onLine({ kind: 'text', line, text: body.toString('utf8') });
    else onLine({ kind: 'invalidUtf8', line, byteOffset: firstInvalidUtf8Offset(body) });
  };
  const finishPending = (tail: Buffer): void => {
    if (skipping) {
      line++;
      onLine({ kind: 'oversized', line, bytes: pendingBytes + tail.length });
    } else {
      emitLineBytes(pending.length === 0 ? tail : Buffer.concat([...pending, tail], pendingBytes + tail.length));
    }
    pending = [];
    pendingBytes = 0;
    skipping = false;
  };

  try {
    for (;;) {
      if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Reading the dataset was cancelled.', { file: path });
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(chunk, 0, chunk.length, null));
      } catch (err) {
        // Only I/O failures are wrapped: an error thrown by `onLine` is the caller's and passes through as is.
        throw new EngineError(EngineErrorCodes.invalidDataset, `Cannot read the dataset: ${(err as Error).message}`, { file: path, line: line + 1 });
      }
      if (bytesRead === 0) break;
      total += bytesRead;
      let start = 0;
      // Lines wholly inside this chunk are decoded straight from the buffer: no copies.
      let nl = chunk.indexOf(0x0a, start);
      while (nl !== -1 && nl < bytesRead) {
        if (pendingBytes > 0 || skipping) {
          if (!skipping && pendingBytes + (nl - start) > maxLineBytes) skipping = true;
          finishPending(skipping ? chunk.subarray(start, nl) : Buffer.from(chunk.subarray(start, nl)));
        } else if (nl - start > maxLineBytes) {
          line++;
          onLine({ kind: 'oversized', line, bytes: nl - start });
        } else {
          emitLineBytes(chunk.subarray(start, nl));
        }
        start = nl + 1;
        nl = chunk.indexOf(0x0a, start);
      }
      if (start < bytesRead) {
        const rest = bytesRead - start;
        if (!skipping && pendingBytes + rest > maxLineBytes) {
          skipping = true;
          pending = [];
        }
        if (!skipping) pending.push(Buffer.from(chunk.subarray(start, bytesRead)));
        pendingBytes += rest;
      }
    }
    if (pendingBytes > 0 || skipping) finishPending(Buffer.alloc(0));
  } finally {
    await handle.close();
  }
  return { lines: line, bytes: total, hadBom };
}

/** 0-based offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
