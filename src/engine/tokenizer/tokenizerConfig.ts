// Reads the tokenizer options of a Hugging Face folder (tokenizer_config.json, special_tokens_map.json).
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { checkJsonDepth, readModelFile } from '../boundedFile';

/** The BERT tokenizer options we honour, with Hugging Face's defaults for missing keys. */
export interface BertTokenizerOptions {
  doLowerCase: boolean;
  /** `null` means "follow doLowerCase", as in Hugging Face. */
  stripAccents: boolean | null;
  tokenizeChineseChars: boolean;
  /** `do_basic_tokenize`: false means words are split on whitespace only, with no cleaning or lower-casing. */
  doBasicTokenize: boolean;
  /** Raw-text strings matched before normalisation and mapped straight to their id ([CLS], [SEP], ...). */
  specialTokens: string[];
  unkToken: string;
  clsToken: string;
  sepToken: string;
  padToken: string;
  maskToken: string;
  modelMaxLength: number;
  /** The raw tokenizer_config.json object (empty when the file is absent), for @huggingface/tokenizers. */
  raw: Record<string, unknown>;
}

/**
 * Reads a JSON object file of a model folder, or `undefined` when it does not exist; the file's byte cap
 * (`FILE_BYTE_CAPS`: 16 MiB for config.json, 64 MiB for tokenizer.json, …) and that it is a regular file (not a
 * FIFO) are checked before it is read. A corrupt, oversized or non-regular file is an EngineError naming it.
 */
export async function readJsonObject(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = (await readModelFile(path)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof EngineError) throw err;
    throw new EngineError(EngineErrorCodes.invalidModel, `cannot read the file: ${(err as Error).message}`, { file: path });
  }
  checkJsonDepth(text, path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EngineError(EngineErrorCodes.invalidModel, `not valid JSON (${(err as Error).message}); re-download or re-export the model folder`, { file: path });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EngineError(EngineErrorCodes.invalidModel, 'expected a JSON object', { file: path });
  }
  return value as Record<string, unknown>;
}

/** A special token is a string or `{content: string}` (AddedToken form). */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  return undefined;
}

/**
 * Reads the tokenizer options of `modelDir`; missing files give Hugging Face's BertTokenizer defaults
 * (lower-casing, CJK splitting, [UNK]/[CLS]/[SEP]/[PAD]/[MASK]).
 * @throws EngineError when a file exists but is not valid JSON.
 */
export async function readTokenizerOptions(modelDir: string): Promise<BertTokenizerOptions> {
  const config = (await readJsonObject(join(modelDir, 'tokenizer_config.json'))) ?? {};
  const map = (await readJsonObject(join(modelDir, 'special_tokens_map.json'))) ?? {};
  const pick = (key: string, fallback: string): string => tokenContent(config[key]) ?? tokenContent(map[key]) ?? fallback;
  const unkToken = pick('unk_token', '[UNK]');
  const clsToken = pick('cls_token', '[CLS]');
  const sepToken = pick('sep_token', '[SEP]');
  const padToken = pick('pad_token', '[PAD]');
  const maskToken = pick('mask_token', '[MASK]');
  const specials = new Set([unkToken, clsToken, sepToken, padToken, maskToken]);
  const decoder = config.added_tokens_decoder;
  if (decoder && typeof decoder === 'object') {
    for (const token of Object.values(decoder as Record<string, unknown>)) {
      const content = tokenContent(token);
      if (content) specials.add(content);
    }
  }
  for (const source of [config.additional_special_tokens, map.additional_special_tokens]) {
    if (Array.isArray(source)) for (const t of source) { const c = tokenContent(t); if (c) specials.add(c); }
  }
  const maxLen = typeof config.model_max_length === 'number' ? config.model_max_length : undefined;
  return {
    doLowerCase: typeof config.do_lower_case === 'boolean' ? config.do_lower_case : true,
    stripAccents: typeof config.strip_accents === 'boolean' ? config.strip_accents : null,
    tokenizeChineseChars: typeof config.tokenize_chinese_chars === 'boolean' ? config.tokenize_chinese_chars : true,
    doBasicTokenize: typeof config.do_basic_tokenize === 'boolean' ? config.do_basic_tokenize : true,
    specialTokens: [...specials],
    unkToken, clsToken, sepToken, padToken, maskToken,
    // HF writes a huge sentinel (1e30) when the model does not say; BERT position tables have 512 rows.
    modelMaxLength: maxLen !== undefined && maxLen > 0 && maxLen <= 1_000_000 ? maxLen : 512,
    raw: config,
  };
}
