// Reads and writes the safetensors format (github.com/huggingface/safetensors): an 8-byte little-endian header
// length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__}, then the raw tensor bytes.
// Reading allocates each tensor once and reads its bytes straight into it: the file is never held twice.
import { constants } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { checkRegularHandle } from '../boundedFile';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from './halfFloat';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const FLOAT_DTYPES = new Set<SafetensorsDtype>(['F64', 'F32', 'F16', 'BF16']);
// A header bigger than this is not a real checkpoint header (the reference implementation caps it at 100 MB).
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** One tensor in memory: floats of any width become Float32Array, integers and booleans Int32Array. */
export interface Tensor {
  /** The dtype stored in (or to write to) the file. */
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Where one tensor lies in a file, from its header. */
export interface TensorInfo {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range inside the data section (after the header). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  /** `__metadata__` (string → string), e.g. `{format: "pt"}`. */
  metadata: Record<string, string>;
  /** Absolute file offset of the data section. */
  dataStart: number;
  fileSize: number;
}

/** A tensor to write: `dtype` defaults to F32 for Float32Array and I32 for Int32Array. */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array | Int32Array;
  dtype?: 'F32' | 'F16' | 'BF16' | 'I32' | 'I64';
}

function corrupt(file: string, detail: string): EngineError {
  return new EngineError(EngineErrorCodes.invalidModel, `not a valid safetensors file: ${detail}; re-download or re-export the weights`, { file });
}

async function readExactly(fh: FileHandle, target: Uint8Array, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await fh.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw corrupt(file, `the file ends early (at byte ${position + done})`);
    done += bytesRead;
  }
}

/** Checks a parsed header and turns it into typed entries; every problem names the file and the tensor. */
function parseHeader(raw: unknown, file: string, dataSize: number): Pick<SafetensorsHeader, 'tensors' | 'metadata'> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw corrupt(file, 'the header is not a JSON object');
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        throw corrupt(file, '__metadata__ must map strings to strings');
      }
      metadata = value as Record<string, string>;
      continue;
    }
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (!entry || typeof entry !== 'object') throw corrupt(file, `the entry of tensor "${name}" is not an object`);
    const dtype = entry.dtype as SafetensorsDtype;
    if (typeof dtype !== 'string' || !(dtype in BYTES)) throw corrupt(file, `tensor "${name}" has an unsupported dtype ${JSON.stringify(entry.dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw corrupt(file, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
      throw corrupt(file, `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const expected = (shape as number[]).reduce((a, d) => a * d, 1) * BYTES[dtype];
    if (end - begin !== expected) throw corrupt(file, `tensor "${name}" (${dtype} ${JSON.stringify(shape)}) needs ${expected} bytes but data_offsets span ${end - begin}`);
    if (end > dataSize) throw corrupt(file, `tensor "${name}" ends at byte ${end} of a ${dataSize}-byte data section (truncated download?)`);
    tensors.set(name, { dtype, shape: shape as number[], begin, end });
  }
  return { tensors, metadata };
}

/**
 * The header of a safetensors file (names, dtypes, shapes, offsets), validated, without reading tensor data.
 * Use it to check a model folder quickly.
 * @throws EngineError naming the file when it is missing, truncated or its header is malformed.
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const fh = await openWeights(path);
  try {
    return await readHeaderFrom(fh, path);
  } finally {
    await fh.close();
  }
}

/** Opens a weights file, refusing anything but a regular file (a FIFO would block every read forever). */
async function openWeights(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new EngineError(EngineErrorCodes.invalidModel, `cannot open the weights: ${(err as Error).message}`, { file: path });
  }
  try {
    await checkRegularHandle(fh, path);
    return fh;
  } catch (err) {
    await fh.close();
    throw err;
  }
}

async function readHeaderFrom(fh: FileHandle, path: string): Promise<SafetensorsHeader> {
  const fileSize = (await fh.stat()).size;
  if (fileSize < 8) throw corrupt(path, `the file has ${fileSize} bytes, fewer than the 8-byte header length`);
  const lengthBytes = new Uint8Array(8);
  await readExactly(fh, lengthBytes, 0, path);
  const headerLength = Number(new DataView(lengthBytes.buffer).getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
    throw corrupt(path, `the header length (${headerLength} bytes) does not fit in the ${fileSize}-byte file (is it a pickle .bin or an HTML error page renamed?)`);
  }
  const headerBytes = new Uint8Array(headerLength);
  await readExactly(fh, headerBytes, 8, path);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (err) {
    throw corrupt(path, `the header is not valid JSON (${(err as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  return { ...parseHeader(raw, path, fileSize - dataStart), dataStart, fileSize };
}

/**
 * Reads every tensor of a safetensors file (or those `include` accepts) into typed arrays: F32/F16/BF16/F64 as
 * Float32Array, I64/I32/I16/I8/U8/BOOL as Int32Array (I64 values must fit in 32 bits).
 * @param path the .safetensors file
 * @param options.include keep only the tensors whose name it accepts (skipped tensors are never read)
 * @returns name → tensor, in file order
 * @throws EngineError naming the file on a malformed header, truncated data or an out-of-range I64.
 */
export async function readSafetensors(path: string, options: { include?: (name: string) => boolean } = {}): Promise<Map<string, Tensor>> {
  const fh = await openWeights(path);
  try {
    const header = await readHeaderFrom(fh, path);
    const entries = [...header.tensors].filter(([name]) => !options.include || options.include(name)).sort((a, b) => a[1].begin - b[1].begin);
    const out = new Map<string, Tensor>();
    for (const [name, info] of entries) {
      out.set(name, { dtype: info.dtype, shape: info.shape, data: await readTensorData(fh, info, header.dataStart, path, name) });
    }
    return out;
  } finally {
    await fh.close();
  }
}

async function readTensorData(fh: FileHandle, info: TensorInfo, dataStart: number, file: string, name: string): Promise<Float32Array | Int32Array> {
  const count = (info.end - info.begin) / BYTES[info.dtype];
  const position = dataStart + info.begin;
  // 4-byte types go straight into their final array (the format is little-endian, like every host we run on).
  if (info.dtype === 'F32' || info.dtype === 'I32') {
    const data = info.dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
    await readExactly(fh, new Uint8Array(data.buffer), position, file);
    return data;
  }
  const bytes = new Uint8Array(info.end - info.begin);
  await readExactly(fh, bytes, position, file);
  const view = new DataView(bytes.buffer);
  switch (info.dtype) {
    case 'F16': return f16ToF32(new Uint16Array(bytes.buffer));
    case 'BF16': return bf16ToF32(new Uint16Array(bytes.buffer));
    case 'F64': return Float32Array.from(new Float64Array(bytes.buffer));
    case 'I64': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) throw corrupt(file, `I64 tensor "${name}" holds ${v}, outside the 32-bit range we load`);
        data[i] = Number(v);
      }
      return data;
    }
    case 'I16': return Int32Array.from(new Int16Array(bytes.buffer));
    case 'I8': return Int32Array.from(new Int8Array(bytes.buffer));
    default: return Int32Array.from(bytes); // U8, BOOL
  }
}

function encodeTensor(name: string, tensor: TensorToWrite): { dtype: SafetensorsDtype; bytes: Uint8Array } {
  const isFloat = tensor.data instanceof Float32Array;
  const dtype = tensor.dtype ?? (isFloat ? 'F32' : 'I32');
  if (FLOAT_DTYPES.has(dtype) !== isFloat) throw new TypeError(`tensor "${name}": cannot write ${isFloat ? 'Float32Array' : 'Int32Array'} data as ${dtype}`);
  const count = tensor.shape.reduce((a, d) => a * d, 1);
  if (count !== tensor.data.length) throw new TypeError(`tensor "${name}": shape ${JSON.stringify(tensor.shape)} needs ${count} values, data has ${tensor.data.length}`);
  const data = tensor.data;
  switch (dtype) {
    case 'F32':
    case 'I32':
      return { dtype, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    case 'F16': return { dtype, bytes: new Uint8Array(f32ToF16(data as Float32Array).buffer) };
    case 'BF16': return { dtype, bytes: new Uint8Array(f32ToBf16(data as Float32Array).buffer) };
    case 'I64': return { dtype, bytes: new Uint8Array(BigInt64Array.from(data as Int32Array, (v) => BigInt(v)).buffer) };
  }
}

/**
 * Writes tensors as a safetensors file Hugging Face loads: names sorted, `__metadata__` `{format: "pt"}` (plus
 * `metadata`), header padded with spaces to 8 bytes. Written to a temporary file and renamed, so a crash never
 * leaves a half-written file under `path`.
 * @param path destination .safetensors file
 * @param tensors name → tensor (Map or plain object)
 * @param metadata extra string entries for `__metadata__`
 */
export async function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>,
  metadata: Record<string, string> = {},
): Promise<void> {
  const entries = (tensors instanceof Map ? [...tensors] : Object.entries(tensors)) as [string, TensorToWrite][];
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of entries) {
    const { dtype, bytes } = encodeTensor(name, tensor);
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad so the data section starts 8-byte aligned (as the reference writer does), which lets readers view it in place.
  const jsonBytes = Buffer.byteLength(json);
  json += ' '.repeat((8 - (jsonBytes % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const lengthBytes = Buffer.alloc(8);
  lengthBytes.writeBigUInt64LE(BigInt(headerBytes.length));

  const temp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const fh = await open(temp, 'w');
  try {
    await fh.write(lengthBytes);
    await fh.write(headerBytes);
    for (const blob of blobs) await fh.write(blob);
    await fh.sync();
    await fh.close();
    await rename(temp, path);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
