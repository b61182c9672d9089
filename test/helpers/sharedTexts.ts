// Every text of ../shared/data/emotion and banking77 (all splits), in file order: what tokenizer parity tests run on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from './requirements';

/** The `text` of every line of emotion's train/validation/test and banking77's train/test (33,083 texts). */
export function emotionAndBanking77Texts(): string[] {
  const texts: string[] = [];
  for (const f of ['emotion/train.jsonl', 'emotion/validation.jsonl', 'emotion/test.jsonl', 'banking77/train.jsonl', 'banking77/test.jsonl']) {
    for (const line of readFileSync(join(sharedDir, 'data', f), 'utf8').split('\n')) if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
  return texts;
}
