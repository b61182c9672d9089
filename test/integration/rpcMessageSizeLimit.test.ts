// The framing filter that refuses oversized JSON-RPC messages, on its own (the engine test covers it end to end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMessageSizeLimit, type OversizedMessage } from '../../src/engine/rpc/messageSizeLimit';

function frame(body: string): Buffer {
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

async function run(chunks: Buffer[], max: number): Promise<{ out: string; refused: OversizedMessage[] }> {
  const refused: OversizedMessage[] = [];
  const limit = createMessageSizeLimit(max, (info) => refused.push(info));
  const parts: Buffer[] = [];
  limit.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => limit.on('end', resolve));
  for (const c of chunks) limit.write(c);
  limit.end();
  await done;
  return { out: Buffer.concat(parts).toString(), refused };
}

test('passes small messages through byte for byte, split anywhere', async () => {
  const stream = Buffer.concat([frame('{"id":1}'), frame('{"id":2,"x":"é"}')]);
  const chunks = [...stream].map((b) => Buffer.from([b]));
  const { out, refused } = await run(chunks, 100);
  assert.equal(out, stream.toString());
  assert.deepEqual(refused, []);
});

test('drops an oversized message, reports its size and id, and keeps the next one', async () => {
  const big = `{"jsonrpc":"2.0","id":"req-7","method":"model/predict","params":{"texts":["${'x'.repeat(500)}"]}}`;
  const stream = Buffer.concat([frame(big), frame('{"id":3}')]);
  const { out, refused } = await run([stream.subarray(0, 40), stream.subarray(40, 300), stream.subarray(300)], 100);
  assert.equal(out, frame('{"id":3}').toString());
  assert.deepEqual(refused, [{ bytes: Buffer.byteLength(big), id: 'req-7' }]);
});
