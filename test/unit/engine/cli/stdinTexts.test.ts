// predict's stdin texts: one per line, blank lines skipped, a leading byte-order mark (PowerShell pipes, Notepad
// files) not kept in the first text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { stdinTexts } from '../../../../src/engine/cli/stdinTexts';

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const text of stdinTexts(Readable.from(chunks.map((c) => Buffer.from(c, 'utf8'))))) out.push(text);
  return out;
}

test('the BOM before the first line is dropped; blank lines are skipped; CRLF is one line end', async () => {
  assert.deepEqual(await collect(['\ufeffi am happy\r\n', '\r\n', 'i am sad\n']), ['i am happy', 'i am sad']);
  // Split across chunks, and only the first line's mark: a U+FEFF later on is the user's text.
  assert.deepEqual(await collect(['\ufeff', 'one\n\ufefftwo\n']), ['one', '\ufefftwo']);
  assert.deepEqual(await collect(['no mark\n']), ['no mark']);
});
