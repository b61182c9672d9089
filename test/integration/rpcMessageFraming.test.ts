// The framing guard in front of the JSON-RPC reader, on its own: oversized messages, each kind of malformed frame,
// and a seeded fuzz of random frames and headers (the engine test drives the same through a live process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMessageFraming, type OversizedMessage } from '../../src/engine/rpc/messageFraming';

function frame(body: string): Buffer {
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

async function run(chunks: Buffer[], max: number): Promise<{ out: string; refused: OversizedMessage[]; malformed: string[] }> {
  const refused: OversizedMessage[] = [];
  const malformed: string[] = [];
  const guard = createMessageFraming(max, { onOversized: (info) => refused.push(info), onMalformed: (reason) => malformed.push(reason) });
  const parts: Buffer[] = [];
  guard.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => guard.on('end', resolve));
  for (const c of chunks) guard.write(c);
  guard.end();
  await done;
  return { out: Buffer.concat(parts).toString(), refused, malformed };
}

/** Splits `stream` into pieces of 1..`maxPiece` bytes with `random`. */
function split(stream: Buffer, random: () => number, maxPiece: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length;) {
    const n = 1 + Math.floor(random() * maxPiece);
    chunks.push(stream.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

/** mulberry32: a small seeded generator, so a failing fuzz case can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const good = '{"jsonrpc":"2.0","id":99,"method":"run/list","params":{"runsDir":"/tmp/x"}}';

test('passes small messages through byte for byte, split anywhere', async () => {
  const stream = Buffer.concat([frame('{"id":1}'), frame('{"id":2,"x":"é"}')]);
  const chunks = [...stream].map((b) => Buffer.from([b]));
  const { out, refused, malformed } = await run(chunks, 100);
  assert.equal(out, stream.toString());
  assert.deepEqual(refused, []);
  assert.deepEqual(malformed, []);
});

test('drops an oversized message, reports its size and id, and keeps the next one', async () => {
  const big = `{"jsonrpc":"2.0","id":"req-7","method":"model/predict","params":{"texts":["${'x'.repeat(500)}"]}}`;
  const stream = Buffer.concat([frame(big), frame('{"id":3}')]);
  const { out, refused } = await run([stream.subarray(0, 40), stream.subarray(40, 300), stream.subarray(300)], 100);
  assert.equal(out, frame('{"id":3}').toString());
  assert.deepEqual(refused, [{ bytes: Buffer.byteLength(big), id: 'req-7' }]);
});

// The reproducers of issue 17 (kind 3) and variants: after each bad frame, the next good one still comes through.
const badFrames: Record<string, string> = {
  'Content-Length: abc': `Content-Length: abc\r\n\r\n${good}`,
  'negative Content-Length': `Content-Length: -5\r\n\r\n${good}`,
  'missing Content-Length': `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${good}`,
  'Content-Length shorter than the body': `Content-Length: 10\r\n\r\n${good}`,
  'LF-only headers': `Content-Length: ${good.length}\n\n${good}`,
  // Variants of the same kind.
  'Content-Length longer than the body': `Content-Length: 100000\r\n\r\n{"jsonrpc":"2.0","id":5}`,
  'zero Content-Length': 'Content-Length: 0\r\n\r\n',
  'fractional Content-Length': `Content-Length: 1.5e2\r\n\r\n${good}`,
  'two Content-Length headers': `Content-Length: 3\r\nContent-Length: ${good.length}\r\n\r\n${good}`,
  'a body that is not JSON': 'Content-Length: 7\r\n\r\n{"id":1',
  'a body that is a JSON array': 'Content-Length: 5\r\n\r\n[1,2]',
  'a charset other than UTF-8': `Content-Length: ${good.length}\r\nContent-Type: application/json; charset=utf-16\r\n\r\n${good}`,
  'binary garbage': '\u0000\u00ff\u0001garbage\r\n\r\n\u0000',
  'a header line with no colon': `Content-Length ${good.length}\r\n\r\n${good}`,
  'headers that never end': `Content-Length: 5\r\nX-Pad: ${'a'.repeat(9000)}`,
};

for (const [name, bad] of Object.entries(badFrames)) {
  test(`recovers after ${name}`, async () => {
    const next = frame('{"jsonrpc":"2.0","id":"next","method":"run/list"}');
    const stream = Buffer.concat([Buffer.from(bad, 'latin1'), next]);
    for (const chunks of [[stream], split(stream, seeded(name.length), 7)]) {
      const { out, malformed } = await run(chunks, 1024 * 1024);
      assert.ok(out.endsWith(next.toString()), `the next message is passed on (got ${JSON.stringify(out.slice(-120))})`);
      assert.equal(malformed.length, 1, `one report for one bad frame: ${JSON.stringify(malformed)}`);
      // Whatever came out before it is well-formed frames only.
      assert.ok(/^(Content-Length: \d+\r\n\r\n\{[^]*?\})*$/.test(out.slice(0, -next.length)), JSON.stringify(out));
    }
  });
}

test('a message longer than the limit whose body is cut short by the next header: refused, and the next one comes through', async () => {
  const next = frame('{"jsonrpc":"2.0","id":"next","method":"run/list"}');
  const stream = Buffer.concat([Buffer.from('Content-Length: 100000\r\n\r\n{"jsonrpc":"2.0","id":5,"method":"x"}'), next]);
  for (const chunks of [[stream], split(stream, seeded(3), 5)]) {
    const { out, refused } = await run(chunks, 1000);
    assert.equal(out, next.toString());
    assert.deepEqual(refused, [{ bytes: 100000, id: 5 }]);
  }
});

test('fuzz: seeded random frames and headers, then a valid message, which always comes through intact', async () => {
  const random = seeded(17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const randomText = (n: number) => Array.from({ length: n }, () => pick(['a', '{', '}', '"', ':', '\r', '\n', ' ', '\\', '1', '-', 'Content-Length: ', 'é'])).join('');
  const junk: Array<() => Buffer> = [
    () => randomBytes(Math.floor(random() * 200)),
    () => Buffer.from(`Content-Length: ${pick(['abc', '-1', '', ' ', '1e3', '99999999999999999', String(Math.floor(random() * 400))])}${pick(['\r\n\r\n', '\n\n', '\r\n', '\r\r'])}${randomText(Math.floor(random() * 80))}`),
    () => Buffer.from(`${pick(['Content-Type', 'X-Junk', 'content-length', 'Content-Length'])}${pick([':', '', ' :'])} ${randomText(10)}\r\n\r\n${randomText(Math.floor(random() * 60))}`),
    () => frame(randomText(Math.floor(random() * 60))),
    () => frame(`{"jsonrpc":"2.0","id":"junk","method":"no/such","params":${pick(['1', '[]', '{}', '{"a":[[[[]]]]}'])}}`),
  ];
  const cases = 400;
  for (let c = 0; c < cases; c++) {
    const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(junk)());
    const last = frame(`{"jsonrpc":"2.0","id":"case-${c}","method":"run/list","params":{"runsDir":"/tmp"}}`);
    // Junk may end mid-header: a separator the client would have sent before its next message.
    const stream = Buffer.concat([...parts, Buffer.from('\r\n\r\n'), last]);
    const { out } = await run(split(stream, random, 64), 1024);
    assert.ok(out.endsWith(last.toString()), `case ${c}: the valid message is passed on; input ${JSON.stringify(stream.toString('latin1'))}`);
  }
});
