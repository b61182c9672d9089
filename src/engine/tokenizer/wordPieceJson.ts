// The tokenizer.json that Hugging Face's `tokenizers` builds from a slow BERT tokenizer's vocab.txt (its
// BertConverter): BertNormalizer, BertPreTokenizer, WordPiece, `[CLS] A [SEP]`. Written into exports of folders that
// ship only vocab.txt (ELECTRA discriminators, older BERTs), because transformers.js loads tokenizer.json only.
import { join } from 'node:path';
import { readModelFile } from '../boundedFile';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import type { BertTokenizerOptions } from './tokenizerConfig';
import { clsSepTemplate } from './clsSepTemplate';

/**
 * The tokenizer.json object for `vocab.txt` in `modelDir`, tokenising as `WordPieceTokenizer.fromFolder` does.
 * @param options from tokenizer_config.json (lower-casing, accents, CJK, special tokens)
 * @returns undefined when `do_basic_tokenize` is false (whitespace split only, which BertNormalizer cannot express)
 * @throws EngineError naming vocab.txt when it cannot be read, or a special token is not in it
 */
export async function wordPieceTokenizerJson(modelDir: string, options: BertTokenizerOptions): Promise<Record<string, unknown> | undefined> {
  if (!options.doBasicTokenize) return undefined;
  const file = join(modelDir, 'vocab.txt');
  const lines = (await readModelFile(file)).toString('utf8').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  // A repeated line maps to its last index, as Hugging Face's load_vocab (and WordPieceTokenizer) do.
  const vocab: Record<string, number> = {};
  lines.forEach((line, id) => { vocab[line.endsWith('\r') ? line.slice(0, -1) : line] = id; });
  const idOf = (token: string, role: string): number => {
    const id = vocab[token];
    if (id === undefined) throw new EngineError(EngineErrorCodes.invalidModel, `the ${role} token "${token}" is not in vocab.txt; check tokenizer_config.json`, { file });
    return id;
  };
  const cls = idOf(options.clsToken, 'classification');
  const sep = idOf(options.sepToken, 'separator');
  idOf(options.unkToken, 'unknown');
  // Special tokens are matched in the raw text before normalisation (normalized: false), as WordPieceTokenizer does.
  const added = options.specialTokens
    .filter((t) => t.length > 0 && vocab[t] !== undefined)
    .map((t) => ({ id: vocab[t]!, content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
    .sort((a, b) => a.id - b.id);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: options.tokenizeChineseChars, strip_accents: options.stripAccents, lowercase: options.doLowerCase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: clsSepTemplate(options.clsToken, cls, options.sepToken, sep),
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: options.unkToken, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}
