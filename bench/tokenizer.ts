// Tokeniser throughput on the shared datasets, cold (first pass) and warm: the raw @huggingface/tokenizers library,
// our wrapper of it (the fallback for tokenizer.json files that are not plain BERT), and our WordPiece code built from tokenizer.json (the default) and vocab.txt.
// Run: npm run bench:tokenizer
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { loadTokenizer } from '../src/engine';

const shared = join(__dirname, '../../shared');
const modelDir = join(shared, 'models/bert-tiny-random');
const files = ['emotion/train', 'banking77/train'];

function readTexts(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { text: string }).text);
}

function timeIt(run: () => number): { seconds: number; tokens: number } {
  const start = process.hrtime.bigint();
  const tokens = run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, tokens };
}

async function main(): Promise<void> {
  const texts = files.flatMap((f) => readTexts(join(shared, 'data', `${f}.jsonl`)));
  console.log(`texts: ${texts.length} (${files.join(', ')})`);
  const raw = new Tokenizer(
    JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')),
    JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')),
  );
  const fromJson = await loadTokenizer(modelDir, { source: 'tokenizer.json' });
  const wrapped = await loadTokenizer(modelDir, { source: 'tokenizer.json', implementation: 'library' });
  const fromVocab = await loadTokenizer(modelDir, { source: 'vocab.txt' });
  const rows: [string, () => number][] = [
    ['@huggingface/tokenizers encode (reference)', () => texts.reduce((n, t) => n + raw.encode(t).ids.length, 0)],
    ['library wrapper (fallback path), encode', () => texts.reduce((n, t) => n + wrapped.encode(t, 128).length, 0)],
    ['tokenizer.json path, encode', () => texts.reduce((n, t) => n + fromJson.encode(t, 128).length, 0)],
    ['vocab.txt path, encode', () => texts.reduce((n, t) => n + fromVocab.encode(t, 128).length, 0)],
    ['tokenizer.json path, encodeBatch(32)', () => batches(texts, (b) => fromJson.encodeBatch(b, { maxLength: 128 }).inputIds.length)],
    ['vocab.txt path, encodeBatch(32)', () => batches(texts, (b) => fromVocab.encodeBatch(b, { maxLength: 128 }).inputIds.length)],
  ];
  const results = new Map<string, number>();
  for (const [name, run] of rows) {
    const cold = timeIt(run);
    let warm = Infinity;
    for (let i = 0; i < 3; i++) warm = Math.min(warm, timeIt(run).seconds);
    const rate = texts.length / warm;
    results.set(name, rate);
    console.log(`${name.padEnd(44)} cold ${(texts.length / cold.seconds).toFixed(0).padStart(8)} texts/s   warm ${rate.toFixed(0).padStart(8)} texts/s   (${cold.tokens} ids)`);
  }
  const reference = results.get('@huggingface/tokenizers encode (reference)')!;
  console.log(`ratio library wrapper / library: ${(results.get('library wrapper (fallback path), encode')! / reference).toFixed(2)}x`);
  console.log(`ratio tokenizer.json path / library: ${(results.get('tokenizer.json path, encode')! / reference).toFixed(2)}x`);
  console.log(`ratio vocab.txt path / library: ${(results.get('vocab.txt path, encode')! / reference).toFixed(2)}x`);
}

function batches(texts: string[], run: (batch: string[]) => number): number {
  let n = 0;
  for (let i = 0; i < texts.length; i += 32) n += run(texts.slice(i, i + 32));
  return n;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
