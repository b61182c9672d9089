// Most BERT-family tokenizer.json files describe exactly BERT's pipeline (BertNormalizer, BertPreTokenizer,
// WordPiece, [CLS] $A [SEP]). For those we run our own WordPiece code, 5-9x faster than the general library
// (bench/tokenizer.ts); anything else goes to @huggingface/tokenizers. Tests check both agree on real data.
import type { BertTokenizerOptions } from './tokenizerConfig';
import { WordPieceTokenizer } from './wordPieceTokenizer';

interface AddedTokenJson { id: number; content: string; normalized?: boolean; lstrip?: boolean; rstrip?: boolean; single_word?: boolean }
type TemplatePiece = { SpecialToken?: { id: string }; Sequence?: { id: string } };

/**
 * A WordPieceTokenizer equivalent to `json`, or undefined when the file uses anything beyond plain BERT.
 * @param json the parsed tokenizer.json
 * @param options tokenizer_config.json options (pad/mask names, max length); the rest is taken from `json`
 * @param file named in errors
 */
export function wordPieceFromTokenizerJson(json: Record<string, unknown>, options: BertTokenizerOptions, file: string): WordPieceTokenizer | undefined {
  const model = json.model as { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number } | undefined;
  const normalizer = json.normalizer as { type?: string; clean_text?: boolean; handle_chinese_chars?: boolean; strip_accents?: boolean | null; lowercase?: boolean } | null | undefined;
  const preTokenizer = json.pre_tokenizer as { type?: string } | null | undefined;
  if (model?.type !== 'WordPiece' || !model.vocab || typeof model.unk_token !== 'string') return undefined;
  if (normalizer?.type !== 'BertNormalizer' || normalizer.clean_text === false) return undefined;
  if (preTokenizer?.type !== 'BertPreTokenizer') return undefined;
  const ends = templateEnds(json.post_processor);
  if (!ends) return undefined;

  const vocab = new Map<string, number>(Object.entries(model.vocab));
  const specialTokens: string[] = [];
  for (const token of (json.added_tokens ?? []) as AddedTokenJson[]) {
    // Added tokens that are normalised or strip spaces need the library's matching rules.
    if (token.normalized || token.lstrip || token.rstrip || token.single_word) return undefined;
    vocab.set(token.content, token.id);
    specialTokens.push(token.content);
  }
  return new WordPieceTokenizer(vocab, {
    ...options,
    doLowerCase: normalizer.lowercase ?? true,
    stripAccents: normalizer.strip_accents ?? null,
    tokenizeChineseChars: normalizer.handle_chinese_chars ?? true,
    doBasicTokenize: true,
    unkToken: model.unk_token,
    clsToken: ends.cls,
    sepToken: ends.sep,
    specialTokens,
  }, 'tokenizer.json', file, { prefix: model.continuing_subword_prefix ?? '##', maxCharsPerWord: model.max_input_chars_per_word ?? 100 });
}

/** The tokens around a single sequence: TemplateProcessing `X $A Y` or BertProcessing. */
export function templateEnds(postProcessor: unknown): { cls: string; sep: string } | undefined {
  const p = postProcessor as { type?: string; single?: TemplatePiece[]; cls?: [string, number]; sep?: [string, number] } | null | undefined;
  if (p?.type === 'BertProcessing' && p.cls && p.sep) return { cls: p.cls[0], sep: p.sep[0] };
  if (p?.type !== 'TemplateProcessing' || !Array.isArray(p.single) || p.single.length !== 3) return undefined;
  const [first, middle, last] = p.single;
  if (!first.SpecialToken || middle.Sequence?.id !== 'A' || !last.SpecialToken) return undefined;
  return { cls: first.SpecialToken.id, sep: last.SpecialToken.id };
}
