// The tokenizer_config.json of an exported model folder: it states how the engine tokenised, so that Python's
// AutoTokenizer and transformers.js tokenise the same way. Where the source folder left something to defaults, the
// loaders' defaults differ from ours: model_max_length unset is 1e30 in transformers (no truncation: a long text
// then fails in the position table), and BertTokenizerFast rewrites tokenizer.json's normaliser to the config's
// do_lower_case when the two disagree.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonObject, readTokenizerOptions } from './tokenizerConfig';
import { pathExists } from '../pathExists';
import { templateEnds } from './wordPieceFromTokenizerJson';

/**
 * Writes `<dir>/tokenizer_config.json` from the tokenizer files already in `dir` (tokenizer_config.json,
 * special_tokens_map.json and tokenizer.json, as copied or converted from the source model): the source's keys are
 * kept, and set are `model_max_length` (the engine's limit: the source's own value when it is a real one, else 512,
 * and never past `usablePositions`) and, for a BERT WordPiece tokenizer, `do_lower_case`, `strip_accents`,
 * `tokenize_chinese_chars` and the special tokens, as the engine reads them (tokenizer.json's BertNormalizer and
 * template when the folder has one, else tokenizer_config.json with BertTokenizer's defaults).
 * @param usablePositions the rows of the model's position table a sequence may use (max_position_embeddings, less
 *   RoBERTa's padding offset)
 * @throws EngineError naming a tokenizer file that is not valid JSON
 */
export async function writeExportTokenizerConfig(dir: string, usablePositions: number): Promise<void> {
  const options = await readTokenizerOptions(dir);
  const config: Record<string, unknown> = { ...options.raw, model_max_length: Math.min(options.modelMaxLength, usablePositions) };
  const json = await readJsonObject(join(dir, 'tokenizer.json'));
  // A WordPiece tokenizer that is vocab.txt alone (no tokenizer.json could be written): the options decide.
  const wordPiece = json ? wordPieceBehaviour(json)
    : (await pathExists(join(dir, 'vocab.txt'))) ? { lowercase: options.doLowerCase, stripAccents: options.stripAccents, chineseChars: options.tokenizeChineseChars }
      : undefined;
  if (wordPiece) {
    Object.assign(config, {
      do_lower_case: wordPiece.lowercase,
      strip_accents: wordPiece.stripAccents,
      tokenize_chinese_chars: wordPiece.chineseChars,
      unk_token: wordPiece.unk ?? options.unkToken,
      cls_token: wordPiece.cls ?? options.clsToken,
      sep_token: wordPiece.sep ?? options.sepToken,
      pad_token: options.padToken,
      mask_token: options.maskToken,
    });
  }
  await writeFile(join(dir, 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

interface WordPieceBehaviour {
  lowercase: boolean;
  stripAccents: boolean | null;
  chineseChars: boolean;
  unk?: string;
  cls?: string;
  sep?: string;
}

/** A BERT tokenizer.json's normaliser settings and special tokens, or undefined for any other tokenizer. */
function wordPieceBehaviour(json: Record<string, unknown>): WordPieceBehaviour | undefined {
  const model = json.model as { type?: string; unk_token?: unknown } | undefined;
  const normalizer = json.normalizer as { type?: string; lowercase?: boolean; strip_accents?: boolean | null; handle_chinese_chars?: boolean } | null | undefined;
  if (model?.type !== 'WordPiece' || normalizer?.type !== 'BertNormalizer') return undefined;
  // The engine's own reading of the template (wordPieceFromTokenizerJson), so the config names the tokens it used.
  const ends = templateEnds(json.post_processor);
  return {
    lowercase: normalizer.lowercase ?? true, stripAccents: normalizer.strip_accents ?? null, chineseChars: normalizer.handle_chinese_chars ?? true,
    unk: typeof model.unk_token === 'string' ? model.unk_token : undefined, cls: ends?.cls, sep: ends?.sep,
  };
}
