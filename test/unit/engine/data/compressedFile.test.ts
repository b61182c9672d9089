// A compressed dataset (data.jsonl.gz, a zipped CSV) is refused with what it is and how to decompress it, instead of
// "Invalid UTF-8 at byte 2" on its binary lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { loadDataset } from '../../../../src/engine/data/loadDataset';
import { compressionOf } from '../../../../src/engine/data/compressedFile';
import { EngineError } from '../../../../src/engine/errors';

const jsonl = '{"text": "good day", "label": "pos"}\n{"text": "bad day", "label": "neg"}\n';

test('a gzip JSONL and a zip CSV are refused naming the format and the command that decompresses them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-compressed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const gz = join(dir, 'train.jsonl.gz');
  writeFileSync(gz, gzipSync(jsonl));
  for (const read of [() => inspectDataset(gz), () => loadDataset(gz)]) {
    await assert.rejects(read(), (e: unknown) => e instanceof EngineError && e.data.file === gz
      && /the file is gzip-compressed, not text: decompress it first \(gunzip -k train\.jsonl\.gz\) and use the decompressed train\.jsonl/.test(e.message));
  }
  // Misnamed: a zip archive saved as .csv is read by the CSV reader, which refuses it too.
  const zip = join(dir, 'data.csv');
  writeFileSync(zip, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.from('text,label\n')]));
  await assert.rejects(inspectDataset(zip), /zip-compressed, not text: decompress it first \(unzip data\.csv\)/);
});

test('plain text that happens to start like a magic number is not taken for an archive', () => {
  assert.equal(compressionOf(Buffer.from('BZh is a word\n')), undefined);
  assert.equal(compressionOf(Buffer.from('PK,label\n')), undefined);
  assert.equal(compressionOf(Buffer.from(jsonl)), undefined);
  assert.equal(compressionOf(gzipSync(jsonl))?.name, 'gzip');
  assert.equal(compressionOf(Buffer.from([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59]))?.name, 'bzip2');
});
