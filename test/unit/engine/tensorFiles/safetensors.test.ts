// safetensors reader/writer: the shared checkpoint, round trips in every dtype, the exact byte layout, and
// clear errors on corrupt files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from '../../../../src/engine/tensorFiles/safetensors';
import { f16ToF32, f32ToF16, bf16ToF32, f32ToBf16 } from '../../../../src/engine/tensorFiles/halfFloat';
import { EngineError } from '../../../../src/engine/errors';
import { needs, shared, sharedPath } from '../../../helpers/requirements';

const sharedModel = sharedPath('models', 'bert-tiny-random', 'model.safetensors');

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-st-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('reads the shared BERT-tiny checkpoint: HF names, PyTorch shapes, 4,385,920 float32 parameters', needs(shared('models/bert-tiny-random/model.safetensors')), async () => {
  const tensors = await readSafetensors(sharedModel);
  let params = 0;
  for (const t of tensors.values()) {
    assert.equal(t.dtype, 'F32');
    assert.ok(t.data instanceof Float32Array);
    assert.equal(t.data.length, t.shape.reduce((a, d) => a * d, 1));
    params += t.data.length;
  }
  assert.equal(params, 4_385_920);
  assert.deepEqual(tensors.get('bert.embeddings.word_embeddings.weight')!.shape, [30522, 128]);
  assert.deepEqual(tensors.get('bert.encoder.layer.0.intermediate.dense.weight')!.shape, [512, 128]);
  // Hugging Face zeroes the padding row of the word embeddings; LayerNorm weights start at 1.
  assert.ok(tensors.get('bert.embeddings.word_embeddings.weight')!.data.subarray(0, 128).every((v) => v === 0));
  assert.ok(tensors.get('bert.embeddings.LayerNorm.weight')!.data.every((v) => v === 1));
  const only = await readSafetensors(sharedModel, { include: (n) => n.startsWith('bert.pooler.') });
  assert.deepEqual([...only.keys()].sort(), ['bert.pooler.dense.bias', 'bert.pooler.dense.weight']);
  const header = await readSafetensorsHeader(sharedModel);
  assert.equal(header.tensors.size, tensors.size);
  assert.equal(header.dataStart % 8, 0);
});

test('writes an HF-compatible file: sorted names, __metadata__ format pt, space padding to 8 bytes, exact bytes', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'model.safetensors');
  await writeSafetensors(file, { 'b.weight': { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }, 'a.ids': { shape: [2], data: new Int32Array([7, -8]) } });
  const bytes = readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  assert.equal((8 + n) % 8, 0);
  const headerText = bytes.subarray(8, 8 + n).toString('utf8');
  assert.match(headerText, / *$/);
  const header = JSON.parse(headerText);
  assert.deepEqual(Object.keys(header), ['__metadata__', 'a.ids', 'b.weight']);
  assert.deepEqual(header.__metadata__, { format: 'pt' });
  assert.deepEqual(header['a.ids'], { dtype: 'I32', shape: [2], data_offsets: [0, 8] });
  assert.deepEqual(header['b.weight'], { dtype: 'F32', shape: [2, 3], data_offsets: [8, 32] });
  assert.equal(bytes.length, 8 + n + 32);
  assert.equal(bytes.readInt32LE(8 + n + 4), -8);
  assert.equal(bytes.readFloatLE(8 + n + 8 + 20), 6);
  // Written through a temporary file that is renamed: nothing else is left in the folder.
  assert.deepEqual(readdirSync(dir), ['model.safetensors']);
});

test('round-trips every dtype it writes, and half-precision conversions are exact where representable', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'all.safetensors');
  const floats = new Float32Array([0, -0, 1, -2.5, 0.1, 65504, 1e-7, 3.4e38, -Infinity]);
  await writeSafetensors(file, new Map([
    ['f32', { shape: [9], data: floats }],
    ['f16', { shape: [3, 3], data: floats, dtype: 'F16' as const }],
    ['bf16', { shape: [9], data: floats, dtype: 'BF16' as const }],
    ['i64', { shape: [3], data: new Int32Array([0, -5, 2147483647]), dtype: 'I64' as const }],
  ]), { note: 'x' });
  const back = await readSafetensors(file);
  assert.deepEqual([...back.get('f32')!.data], [...floats]);
  assert.deepEqual(back.get('f16')!.shape, [3, 3]);
  assert.deepEqual([...back.get('f16')!.data], [0, -0, 1, -2.5, 0.0999755859375, 65504, 1.1920928955078125e-7, Infinity, -Infinity]);
  assert.deepEqual([...back.get('bf16')!.data], [0, -0, 1, -2.5, 0.10009765625, 65536, 1.0011717677116394e-7, Infinity, -Infinity]);
  assert.deepEqual([...back.get('i64')!.data], [0, -5, 2147483647]);
  assert.equal(back.get('i64')!.dtype, 'I64');
  assert.deepEqual((await readSafetensorsHeader(file)).metadata, { format: 'pt', note: 'x' });
  // Every finite half value survives half → float → half.
  const all = new Uint16Array(65536).map((_, i) => i);
  const asFloat = f16ToF32(all);
  const again = f32ToF16(asFloat);
  for (let h = 0; h < 65536; h++) if (!Number.isNaN(asFloat[h])) assert.equal(again[h], h, `half 0x${h.toString(16)}`);
  assert.deepEqual([...f32ToF16(new Float32Array([1, -2, 2 ** -24, 0.1]))], [0x3c00, 0xc000, 0x0001, 0x2e66]);
  assert.deepEqual([...f32ToBf16(new Float32Array([1, -2]))], [0x3f80, 0xc000]);
  assert.deepEqual([...bf16ToF32(new Uint16Array([0x3f80, 0x4049]))], [1, 3.140625]);
});

test('corrupt files are clear errors that name the file', async (t) => {
  const dir = tempDir(t);
  const good = join(dir, 'good.safetensors');
  await writeSafetensors(good, { w: { shape: [4], data: new Float32Array(4) } });
  const bytes = readFileSync(good);
  const n = Number(bytes.readBigUInt64LE(0));
  const cases: [string, Buffer, RegExp][] = [
    ['tiny', Buffer.from([1, 2, 3]), /fewer than the 8-byte/],
    ['pickle', Buffer.concat([Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46]), Buffer.alloc(64)]), /does not fit/],
    ['truncated', bytes.subarray(0, bytes.length - 4), /ends at byte 16 of a 12-byte data section/],
    ['badjson', Buffer.concat([bytes.subarray(0, 8), Buffer.from('{"w": '.padEnd(n, ' ')), bytes.subarray(8 + n)]), /not valid JSON/],
    ['dtype', Buffer.from(bytes.toString('latin1').replace('"F32"', '"Q32"'), 'latin1'), /unsupported dtype "Q32"/],
    ['offsets', Buffer.from(bytes.toString('latin1').replace('[0,16]', '[0,12]'), 'latin1'), /needs 16 bytes but data_offsets span 12/],
  ];
  for (const [name, content, message] of cases) {
    const file = join(dir, `${name}.safetensors`);
    writeFileSync(file, content);
    for (const read of [readSafetensors, readSafetensorsHeader]) {
      await assert.rejects(read(file), (err: unknown) => {
        assert.ok(err instanceof EngineError, name);
        assert.equal(err.data.file, file);
        assert.match(err.message, message, name);
        return true;
      });
    }
  }
  await assert.rejects(readSafetensors(join(dir, 'missing.safetensors')), (err: unknown) => err instanceof EngineError && /cannot open/.test(err.message));
});
