// The streaming reader: line splitting across chunk boundaries, BOM, CRLF, invalid UTF-8, oversized lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlLines, firstInvalidUtf8Offset, type JsonlLineEvent } from '../../../../src/engine/data/jsonlLineReader';
import { EngineError } from '../../../../src/engine/errors';

async function readAll(bytes: Buffer, options: Parameters<typeof readJsonlLines>[2] = {}): Promise<{ events: JsonlLineEvent[]; lines: number; hadBom: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-reader-'));
  try {
    const file = join(dir, 'f.jsonl');
    writeFileSync(file, bytes);
    const events: JsonlLineEvent[] = [];
    const summary = await readJsonlLines(file, (e) => events.push(e), options);
    return { events, lines: summary.lines, hadBom: summary.hadBom };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const texts = (events: JsonlLineEvent[]): string[] => events.map((e) => (e.kind === 'text' ? e.text : `<${e.kind}>`));

test('every chunk size gives the same lines (lines span chunk boundaries, CRLF split across them)', async () => {
  const content = Buffer.from('\ufeff{"a":1}\r\n\r\n  \nhé llo 日本\r\nlast-no-newline', 'utf8');
  const expected = ['{"a":1}', '', '  ', 'hé llo 日本', 'last-no-newline'];
  for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1 << 20]) {
    const { events, lines, hadBom } = await readAll(content, { chunkBytes });
    assert.deepEqual(texts(events), expected, `chunkBytes ${chunkBytes}`);
    assert.deepEqual(events.map((e) => e.line), [1, 2, 3, 4, 5]);
    assert.equal(lines, 5);
    assert.equal(hadBom, true);
  }
});

test('a final newline does not add a line; an empty file has none', async () => {
  assert.equal((await readAll(Buffer.from('a\nb\n'))).lines, 2);
  assert.equal((await readAll(Buffer.from(''))).lines, 0);
  assert.deepEqual(texts((await readAll(Buffer.from('\n'))).events), ['']);
});

test('invalid UTF-8 is reported with its byte offset, on the right line, whatever the chunking', async () => {
  const content = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x61, 0x62, 0xc3, 0x28, 0x0a]), Buffer.from('fine\n')]);
  for (const chunkBytes of [1, 3, 1024]) {
    const { events } = await readAll(content, { chunkBytes });
    assert.deepEqual(events[1], { kind: 'invalidUtf8', line: 2, byteOffset: 2 });
    assert.deepEqual(texts(events), ['ok', '<invalidUtf8>', 'fine']);
  }
});

test('oversized lines are skipped with their full size, in one chunk or across many', async () => {
  const long = 'x'.repeat(100);
  const content = Buffer.from(`short\n${long}\nafter\n${long}`);
  for (const chunkBytes of [8, 33, 4096]) {
    const { events } = await readAll(content, { chunkBytes, maxLineBytes: 50 });
    assert.deepEqual(events, [
      { kind: 'text', line: 1, text: 'short' },
      { kind: 'oversized', line: 2, bytes: 100 },
      { kind: 'text', line: 3, text: 'after' },
      { kind: 'oversized', line: 4, bytes: 100 },
    ], `chunkBytes ${chunkBytes}`);
  }
});

test('a line exactly at the limit is kept', async () => {
  const { events } = await readAll(Buffer.from(`${'y'.repeat(50)}\n`), { chunkBytes: 16, maxLineBytes: 50 });
  assert.equal(events[0].kind, 'text');
});

test('firstInvalidUtf8Offset agrees with a strict decoder on random bytes', () => {
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 24;
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let round = 0; round < 3000; round++) {
    const bytes = Uint8Array.from({ length: 1 + (round % 9) }, () => (round % 3 === 0 ? next() : 0x80 | (next() & 0x7f) | (next() > 200 ? 0x40 : 0)));
    const offset = firstInvalidUtf8Offset(bytes);
    let valid = true;
    try {
      decoder.decode(bytes);
    } catch {
      valid = false;
    }
    assert.equal(offset === bytes.length, valid, `bytes ${Buffer.from(bytes).toString('hex')}`);
    if (!valid) {
      // Everything before the reported offset decodes on its own.
      assert.doesNotThrow(() => decoder.decode(bytes.subarray(0, offset)));
    }
  }
});

test('a missing file is an EngineError naming the file', async () => {
  await assert.rejects(readJsonlLines('/nonexistent/data.jsonl', () => {}), (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.equal(err.data.file, '/nonexistent/data.jsonl');
    return true;
  });
});

test('an aborted signal stops the read with a cancelled EngineError', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(readAll(Buffer.from('a\n'), { signal: controller.signal }), (err: unknown) => err instanceof EngineError && err.code === -32007);
});

test('an error thrown by the callback passes through unchanged (it is not an I/O error)', async () => {
  const boom = new RangeError('from the callback');
  const dir = mkdtempSync(join(tmpdir(), 'cw-reader-'));
  try {
    writeFileSync(join(dir, 'f.jsonl'), 'a\nb\n');
    await assert.rejects(readJsonlLines(join(dir, 'f.jsonl'), () => { throw boom; }), (err: unknown) => err === boom);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
