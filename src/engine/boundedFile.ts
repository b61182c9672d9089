// Reading a file the engine did not write (a model's config.json, tokenizer files, a cache ref) with its bound
// checked before any work: it must be a regular file (a FIFO or a device would block or never end) and no larger
// than a cap chosen per kind of file, so a hostile or broken file cannot hang the engine or exhaust its memory.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError } from './errors';
import { EngineErrorCodes, type EngineErrorCode } from '../protocol/errors';

const MiB = 1024 * 1024;

/**
 * The byte caps of the files the engine reads from a model folder or the hub cache. Each is far above what real
 * checkpoints hold (bert-base's config.json is 570 bytes; the largest tokenizer.json files on the Hub, Gemma's
 * and XLM-R's multilingual ones, are 17–34 MB) and far below what would stall the engine.
 */
export const FILE_BYTE_CAPS = {
  'config.json': 16 * MiB,
  'tokenizer.json': 64 * MiB,
  'vocab.txt': 16 * MiB,
  /** A SentencePiece model (DeBERTa-v3's is 2.4 MB). */
  'spm.model': 32 * MiB,
  'tokenizer_config.json': 16 * MiB,
  'special_tokens_map.json': 1 * MiB,
  'model.safetensors.index.json': 16 * MiB,
  /** A `refs/<revision>` file of the hub cache holds one 40-hex commit. */
  ref: 1024,
} as const;

export type CappedFileKind = keyof typeof FILE_BYTE_CAPS;

/** The cap of a file by its name (`basename(path)`): a known name's cap, else the JSON cap (16 MiB). */
export function byteCapFor(path: string): number {
  return (FILE_BYTE_CAPS as Record<string, number>)[basename(path)] ?? FILE_BYTE_CAPS['config.json'];
}

/** True when `path`'s name has its own row in `FILE_BYTE_CAPS` (weights files have none: they are read by header). */
export function hasByteCap(path: string): boolean {
  return Object.hasOwn(FILE_BYTE_CAPS, basename(path));
}

/** `readFileCapped` with the cap of the file's name (`byteCapFor`), named in the error. */
export function readModelFile(path: string): Promise<Buffer> {
  return readFileCapped(path, byteCapFor(path), `the cap for ${basename(path)}`);
}

/** `readModelFile`, synchronously (for the few sync readers). */
export function readModelFileSync(path: string): Buffer {
  return readFileCappedSync(path, byteCapFor(path), `the cap for ${basename(path)}`);
}

function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB` : `${n} bytes`;
}

/**
 * Refuses an opened file that is not a regular file (open it with O_NONBLOCK, so a FIFO does not block the open).
 * @throws EngineError(code) naming the file when it is a FIFO, socket, device or folder
 */
export async function checkRegularHandle(fh: FileHandle, path: string, code: EngineErrorCode = EngineErrorCodes.invalidModel): Promise<void> {
  const info = await fh.stat();
  if (!info.isFile()) throw notRegular(path, info, code);
}

function notRegular(path: string, info: { isDirectory(): boolean; isFIFO(): boolean }, code: EngineErrorCode): EngineError {
  const what = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe (FIFO)' : 'not a regular file (a socket or device)';
  return new EngineError(code, `is ${what}, not a regular file; it is refused rather than read (reading it could block forever); replace it with the real file`, { file: path });
}

/**
 * The bytes of `path`, after checking that it is a regular file of at most `maxBytes`. Opened non-blocking, so a
 * FIFO swapped in after the check cannot block the open either; reads at most `maxBytes + 1` bytes, so a file that
 * grows while it is read is refused too.
 * @param what how the bound is named in the error (e.g. "config.json's 16 MiB cap")
 * @throws Node's error (ENOENT, EACCES, …) when it cannot be opened; EngineError(code) naming the file and the
 *   bound when it is not a regular file or is larger than `maxBytes`
 */
export async function readFileCapped(path: string, maxBytes: number, what: string, code: EngineErrorCode = EngineErrorCodes.invalidModel): Promise<Buffer> {
  const fh = await open(path, READ_FLAGS);
  try {
    const info = await fh.stat();
    checkOpened(path, info, maxBytes, what, code);
    // One byte more than the size: filling it means the file grew while it was read.
    const buffer = Buffer.alloc(info.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) throw new EngineError(code, 'grew while it was read; try again once nothing writes to it', { file: path });
    }
    return buffer.subarray(0, length);
  } finally {
    await fh.close();
  }
}

/** `readFileCapped`, synchronously. */
export function readFileCappedSync(path: string, maxBytes: number, what: string, code: EngineErrorCode = EngineErrorCodes.invalidModel): Buffer {
  const fd = openSync(path, READ_FLAGS);
  try {
    const info = fstatSync(fd);
    checkOpened(path, info, maxBytes, what, code);
    const buffer = Buffer.alloc(info.size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) throw new EngineError(code, 'grew while it was read; try again once nothing writes to it', { file: path });
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Non-blocking, so that opening a FIFO (swapped in after any check) returns at once instead of waiting for a writer. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function checkOpened(path: string, info: { size: number; isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean }, maxBytes: number, what: string, code: EngineErrorCode): void {
  if (!info.isFile()) throw notRegular(path, info, code);
  if (info.size > maxBytes) {
    throw new EngineError(code, `is ${formatBytes(info.size)}, over ${what} of ${formatBytes(maxBytes)}; it is refused before it is read (real files are far smaller: is it the right file?)`, { file: path });
  }
}

/**
 * How deep a model file's JSON may nest: real ones nest at most 6 levels (tokenizer.json's normalizer sequences);
 * deeper nesting only serves to overflow the stack of code that walks the value.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses JSON text nesting deeper than `MAX_JSON_DEPTH`, by one scan of the text (brackets outside strings)
 * before it is parsed.
 * @throws EngineError(code) naming the file, the bound and where the bound is first passed (character offset)
 */
export function checkJsonDepth(text: string, file: string, code: EngineErrorCode = EngineErrorCodes.invalidModel): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new EngineError(code, `nests deeper than ${MAX_JSON_DEPTH} levels (at character ${i + 1}), past the bound for model files (real ones nest at most 6); is it the right file?`, { file });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
