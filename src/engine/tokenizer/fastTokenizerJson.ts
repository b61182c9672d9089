// A model folder's tokenizer as the one file every fast loader reads: tokenizer.json. Folders that ship only a slow
// tokenizer's files (vocab.txt; vocab.json + merges.txt; spm.model) tokenise here through the same conversions
// Hugging Face's convert_slow_tokenizer makes, so the written file gives the ids the engine trained on. transformers.js
// (which an ONNX export is for) loads tokenizer.json and nothing else.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../pathExists';
import { byteLevelBpeTokenizerJson } from './byteLevelBpeJson';
import { readTokenizerOptions } from './tokenizerConfig';
import { unigramTokenizerJsonFromSpm } from './unigramJson';
import { wordPieceTokenizerJson } from './wordPieceJson';

/**
 * Writes `<dir>/tokenizer.json` when the folder has none, from the slow tokenizer files `loadTokenizer` would use
 * (same order: vocab.txt, then vocab.json + merges.txt, then spm.model).
 * @returns whether a file was written (false: tokenizer.json was there, or no conversion applies, e.g. vocab.txt
 *   with `do_basic_tokenize: false`)
 * @throws EngineError naming the slow tokenizer file when it is broken
 */
export async function writeFastTokenizerJson(dir: string): Promise<boolean> {
  if (await pathExists(join(dir, 'tokenizer.json'))) return false;
  const options = await readTokenizerOptions(dir);
  let json: Record<string, unknown> | undefined;
  if (await pathExists(join(dir, 'vocab.txt'))) json = await wordPieceTokenizerJson(dir, options);
  else if (await pathExists(join(dir, 'vocab.json')) && await pathExists(join(dir, 'merges.txt'))) json = await byteLevelBpeTokenizerJson(dir, options);
  else if (await pathExists(join(dir, 'spm.model'))) json = await unigramTokenizerJsonFromSpm(dir, options);
  if (!json) return false;
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(json));
  return true;
}
