// Reads PyTorch `pytorch_model.bin` state dicts without executing pickled code. Two layouts, as
// torch/serialization.py writes them: the zip archive of torch ≥ 1.6 (`<name>/data.pkl` + one raw entry per storage
// under `<name>/data/<key>`) and the legacy stream (magic, protocol, sys-info and state-dict pickles, a pickled list
// of storage keys, then each storage as an int64 element count and its bytes). The pickles are read by
// `restrictedUnpickler.ts` with an allow-list of exactly what a state dict needs; anything else is refused by name.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { bf16ToF32, f16ToF32 } from './halfFloat';
import type { SafetensorsDtype, Tensor } from './safetensors';
import { PickleGlobal, PickleRefused, unpickle, type AllowedGlobal, type PickleValue } from './restrictedUnpickler';
import { listZipEntries, readZipEntry, ZipFormatError } from './zipEntries';

/** torch's storage classes → element type and size (torch/storage.py `_dtype_to_storage_type_map`). */
const STORAGE_TYPES: Record<string, { dtype: SafetensorsDtype; bytes: number }> = {
  'torch.FloatStorage': { dtype: 'F32', bytes: 4 },
  'torch.DoubleStorage': { dtype: 'F64', bytes: 8 },
  'torch.HalfStorage': { dtype: 'F16', bytes: 2 },
  'torch.BFloat16Storage': { dtype: 'BF16', bytes: 2 },
  'torch.LongStorage': { dtype: 'I64', bytes: 8 },
  'torch.IntStorage': { dtype: 'I32', bytes: 4 },
  'torch.ShortStorage': { dtype: 'I16', bytes: 2 },
  'torch.CharStorage': { dtype: 'I8', bytes: 1 },
  'torch.ByteStorage': { dtype: 'U8', bytes: 1 },
  'torch.BoolStorage': { dtype: 'BOOL', bytes: 1 },
  'torch.UntypedStorage': { dtype: 'U8', bytes: 1 },
};

/** A storage named by a persistent id; its bytes are read after unpickling. */
interface StorageRef {
  key: string;
  dtype: SafetensorsDtype;
  bytes: number;
  /** Legacy views of a root storage: element offset into it. */
  viewOffset: number;
}

/** A tensor as `_rebuild_tensor_v2` describes it: a strided view of a storage. */
class TensorRef {
  constructor(readonly storage: StorageRef, readonly offset: number, readonly shape: number[], readonly stride: number[]) {}
}

const isIntList = (v: PickleValue): v is number[] => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0);

function rebuildTensor(args: PickleValue[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof Object) || !('key' in (storage as object)) || !Number.isSafeInteger(offset) || !isIntList(size) || !isIntList(stride) || size.length !== stride.length) {
    throw new PickleRefused('a tensor is rebuilt from arguments that are not (storage, offset, size, stride)');
  }
  return new TensorRef(storage as StorageRef, offset as number, size, stride);
}

/** The globals a state dict pickle uses (torch._utils, torch storages, OrderedDict), and nothing else. */
const ALLOWED_GLOBALS: ReadonlyMap<string, AllowedGlobal> = new Map<string, AllowedGlobal>([
  ['collections.OrderedDict', { call: () => new Map() }],
  ['torch._utils._rebuild_tensor_v2', { call: rebuildTensor }],
  ['torch._utils._rebuild_tensor', { call: rebuildTensor }],
  // nn.Parameter(data, requires_grad, backward_hooks): the data is all a state dict needs.
  ['torch._utils._rebuild_parameter', { call: (args) => {
    if (!(args[0] instanceof TensorRef)) throw new PickleRefused('a parameter is rebuilt from something that is not a tensor');
    return args[0];
  } }],
  ...Object.keys(STORAGE_TYPES).map((name): [string, AllowedGlobal] => [name, {}]),
]);

function storageFromPid(pid: PickleValue): StorageRef {
  // ('storage', storage_type, key, location, numel[, view_metadata]) — torch/serialization.py persistent_id.
  if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof PickleGlobal) || typeof pid[2] !== 'string') {
    throw new PickleRefused('a persistent id is not a torch storage reference');
  }
  const type = STORAGE_TYPES[pid[1].name];
  if (!type) throw new PickleRefused(`storage type "${pid[1].name}" is not a tensor storage`);
  const view = pid[5];
  if (Array.isArray(view)) {
    // Legacy view: (view_key, offset, view_size) of the root storage `key`.
    if (!Number.isSafeInteger(view[1])) throw new PickleRefused('a storage view has no offset');
    return { key: pid[2], ...type, viewOffset: view[1] as number };
  }
  return { key: pid[2], ...type, viewOffset: 0 };
}

/** A state dict's OrderedDict carries `_metadata` (module versions) as object state: inert, and ignored. */
const acceptBuild = (target: PickleValue, state: PickleValue): boolean => target instanceof Map && (state instanceof Map || state === null);

function unpickleStateDict(bytes: Uint8Array, start = 0): { value: PickleValue; end: number } {
  return unpickle(bytes, { globals: ALLOWED_GLOBALS, persistentLoad: storageFromPid, acceptBuild }, start);
}

/** Storage bytes → values of its element type (floats widened to float32, integers to int32). */
function decodeStorage(raw: Uint8Array, { dtype, bytes: bytesPer }: StorageRef, file: string, key: string): Float32Array | Int32Array {
  // Typed arrays need aligned offsets; an entry read into its own buffer starts at 0, anything else is copied.
  const b = raw.byteOffset % 8 === 0 ? raw : raw.slice();
  const n = Math.floor(b.byteLength / bytesPer);
  switch (dtype) {
    case 'F32': return new Float32Array(b.buffer, b.byteOffset, n);
    case 'F64': return Float32Array.from(new Float64Array(b.buffer, b.byteOffset, n));
    case 'F16': return f16ToF32(new Uint16Array(b.buffer, b.byteOffset, n));
    case 'BF16': return bf16ToF32(new Uint16Array(b.buffer, b.byteOffset, n));
    case 'I32': return new Int32Array(b.buffer, b.byteOffset, n);
    case 'I16': return Int32Array.from(new Int16Array(b.buffer, b.byteOffset, n));
    case 'I8': return Int32Array.from(new Int8Array(b.buffer, b.byteOffset, n));
    case 'I64': {
      const src = new BigInt64Array(b.buffer, b.byteOffset, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (src[i] > 2147483647n || src[i] < -2147483648n) throw invalid(file, `int64 storage ${key} holds ${src[i]}, outside the 32-bit range we load`);
        out[i] = Number(src[i]);
      }
      return out;
    }
    default: return Int32Array.from(b); // U8, BOOL
  }
}

/** The tensor's values in row-major order, copied out of its storage (any strides, e.g. a transposed view). */
function materialise(ref: TensorRef, values: Float32Array | Int32Array, file: string, name: string): Tensor {
  const { shape, stride } = ref;
  const offset = ref.offset + ref.storage.viewOffset;
  const count = shape.reduce((a, d) => a * d, 1);
  const Out = values instanceof Float32Array ? Float32Array : Int32Array;
  const out = new Out(count);
  if (count > 0) {
    let last = offset;
    shape.forEach((d, i) => { last += (d - 1) * stride[i]; });
    if (last >= values.length) throw invalid(file, `tensor "${name}" reaches element ${last} of a storage with ${values.length} elements (corrupt file)`);
    let contiguous = true;
    for (let i = shape.length - 1, s = 1; i >= 0; s *= shape[i], i--) if (shape[i] > 1 && stride[i] !== s) contiguous = false;
    if (contiguous) {
      out.set(values.subarray(offset, offset + count));
    } else {
      const index = new Array<number>(shape.length).fill(0);
      for (let k = 0; k < count; k++) {
        let at = offset;
        for (let i = 0; i < shape.length; i++) at += index[i] * stride[i];
        out[k] = values[at];
        for (let i = shape.length - 1; i >= 0; i--) {
          if (++index[i] < shape[i]) break;
          index[i] = 0;
        }
      }
    }
  }
  return { dtype: ref.storage.dtype, shape: [...shape], data: out };
}

function invalid(file: string, detail: string): EngineError {
  return new EngineError(EngineErrorCodes.invalidModel, detail, { file });
}

/** The name → tensor entries of an unpickled state dict, or a clear refusal of any other structure. */
function stateDictEntries(value: PickleValue, file: string): [string, TensorRef][] {
  if (!(value instanceof Map)) throw invalid(file, 'the pickle holds no state dict (name → tensor); save the model with save_pretrained');
  const out: [string, TensorRef][] = [];
  for (const [k, v] of value) {
    if (typeof k !== 'string') throw invalid(file, `the state dict has a non-string key ${String(k)}`);
    if (v instanceof TensorRef) out.push([k, v]);
    else if (v instanceof Map) throw invalid(file, `"${k}" holds a nested dict, not a tensor: this looks like a training checkpoint, not model weights; save the model with save_pretrained`);
    else throw invalid(file, `"${k}" is not a tensor`);
  }
  return out;
}

/** Materialises tensors grouped by storage, so each storage's bytes are held only while its tensors are copied. */
async function buildTensors(entries: [string, TensorRef][], readStorage: (key: string) => Promise<Uint8Array>, file: string): Promise<Map<string, Tensor>> {
  const byKey = new Map<string, [string, TensorRef][]>();
  for (const e of entries) {
    const list = byKey.get(e[1].storage.key) ?? [];
    list.push(e);
    byKey.set(e[1].storage.key, list);
  }
  const built = new Map<string, Tensor>();
  for (const [key, list] of byKey) {
    const values = decodeStorage(await readStorage(key), list[0][1].storage, file, key);
    for (const [name, ref] of list) built.set(name, materialise(ref, values, file, name));
  }
  // In the state dict's own order.
  return new Map(entries.map(([name]) => [name, built.get(name)!]));
}

async function readZipStateDict(fh: FileHandle, file: string): Promise<Map<string, Tensor>> {
  const entries = await listZipEntries(fh);
  const pkl = [...entries.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw invalid(file, 'a zip archive without data.pkl: not a torch.save file');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const byteorder = entries.get(`${prefix}byteorder`);
  if (byteorder && (await readZipEntry(fh, byteorder)).toString('latin1').trim() !== 'little') {
    throw invalid(file, 'the tensors are stored big-endian; re-save them on a little-endian machine');
  }
  const { value } = unpickleStateDict(await readZipEntry(fh, entries.get(pkl)!));
  return buildTensors(stateDictEntries(value, file), async (key) => {
    const entry = entries.get(`${prefix}data/${key}`);
    if (!entry) throw invalid(file, `storage "${key}" named by data.pkl is not in the archive (corrupt file)`);
    return readZipEntry(fh, entry);
  }, file);
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

async function readLegacyStateDict(file: string): Promise<Map<string, Tensor>> {
  const bytes = new Uint8Array(await readFile(file));
  const noCode = { globals: new Map<string, AllowedGlobal>() };
  let r = unpickle(bytes, noCode);
  if (r.value !== LEGACY_MAGIC) throw invalid(file, 'neither a zip archive nor a legacy torch.save stream');
  r = unpickle(bytes, noCode, r.end); // protocol version
  r = unpickle(bytes, noCode, r.end); // sys info (endianness, type sizes)
  const sysInfo = r.value;
  if (sysInfo instanceof Map && sysInfo.get('little_endian') === false) throw invalid(file, 'the tensors are stored big-endian; re-save them on a little-endian machine');
  const main = unpickleStateDict(bytes, r.end);
  const keysPickle = unpickle(bytes, noCode, main.end);
  const keys = keysPickle.value;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw invalid(file, 'the storage key list is malformed (corrupt file)');
  const entries = stateDictEntries(main.value, file);
  const typeOf = new Map(entries.map(([, ref]) => [ref.storage.key, ref.storage]));
  // Storages follow in key order: an int64 element count, then the elements.
  const location = new Map<string, Uint8Array>();
  let pos = keysPickle.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys as string[]) {
    if (pos + 8 > bytes.length) throw invalid(file, 'the file ends inside the storage data (truncated download?)');
    const numel = Number(view.getBigInt64(pos, true));
    const size = numel * (typeOf.get(key)?.bytes ?? 1);
    pos += 8;
    if (numel < 0 || pos + size > bytes.length) throw invalid(file, 'the file ends inside the storage data (truncated download?)');
    location.set(key, bytes.subarray(pos, pos + size));
    pos += size;
  }
  return buildTensors(entries, async (key) => {
    const raw = location.get(key);
    if (!raw) throw invalid(file, `storage "${key}" is not in the file (corrupt file)`);
    return raw;
  }, file);
}

/**
 * Reads a `torch.save`d state dict (zip or legacy format) without running any pickled code.
 * @param file a `pytorch_model.bin` (or one shard of it)
 * @returns name → tensor in the state dict's order; floats as Float32Array, integers as Int32Array (like
 *   `readSafetensors`); strided views are copied out in row-major order
 * @throws EngineError(invalidModel) naming the file: a refused global or opcode (named, with its byte offset —
 *   nothing is executed), something other than a flat state dict, a truncated or corrupt archive
 */
export async function readPytorchBin(file: string): Promise<Map<string, Tensor>> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw invalid(file, `cannot open the weights (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (head.readUInt32LE(0) === 0x04034b50) return await readZipStateDict(fh, file);
    // A legacy stream starts with a protocol-2 pickle of torch's magic number.
    if (head[0] !== 0x80 || head[1] !== 0x02) throw invalid(file, 'not a PyTorch weights file (neither the zip archive nor the legacy stream torch.save writes); re-download it');
    return await readLegacyStateDict(file);
  } catch (err) {
    if (err instanceof PickleRefused) throw invalid(file, `not loaded: ${err.message}. The file was only read, nothing in it was run; use weights from a source you trust, or model.safetensors`);
    if (err instanceof ZipFormatError) throw invalid(file, `not a readable torch.save archive (${err.message}); re-download it`);
    throw err;
  } finally {
    await fh.close();
  }
}
