// The tokenizer.json that transformers' DebertaV2Converter (convert_slow_tokenizer.py) builds from a DeBERTa-v2/v3
// `spm.model`, so repositories that ship only that file (microsoft/deberta-v3-*) tokenise as
// DebertaV2TokenizerFast does: a Unigram model over the pieces and their scores, Strip + the model's compiled
// character map + one space for runs of spaces, Metaspace ("▁" for spaces, one in front, split before each),
// `[CLS] A [SEP]` (pair `[CLS] A [SEP] B [SEP]`, type ids 0/1). Control and user-defined pieces and the
// tokenizer_config's special tokens ([MASK] comes after the pieces) are matched in the raw text first.
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { readModelFile } from '../boundedFile';
import { PieceType, readSentencePieceModel } from './sentencePieceModel';
import type { BertTokenizerOptions } from './tokenizerConfig';
import { clsSepTemplate } from './clsSepTemplate';

/**
 * The tokenizer.json object for the `spm.model` in `modelDir`.
 * @param options tokenizer_config.json (`do_lower_case`, `split_by_punct` — both false unless given, as in
 *   DebertaV2Tokenizer — and the special tokens)
 * @throws EngineError naming spm.model when it is not a well-formed SentencePiece model, is not a Unigram model,
 *   uses byte fallback (not supported), or lacks the classification/separator token
 */
export async function unigramTokenizerJsonFromSpm(modelDir: string, options: BertTokenizerOptions): Promise<Record<string, unknown>> {
  const file = join(modelDir, 'spm.model');
  const model = readSentencePieceModel(await readModelFile(file), file);
  const refuse = (detail: string): never => {
    throw new EngineError(EngineErrorCodes.invalidModel, detail, { file });
  };
  if (model.modelType !== 1) {
    refuse(`a SentencePiece ${['', 'Unigram', 'BPE', 'word', 'char'][model.modelType] ?? `type ${model.modelType}`} model; only Unigram models (DeBERTa-v2/v3) are read from spm.model — use the repository's tokenizer.json`);
  }
  if (model.byteFallback || model.pieces.some((p) => p.type === PieceType.byte)) {
    refuse('the model uses byte-fallback pieces, which are not supported; use the repository\'s tokenizer.json');
  }
  const ids = new Map<string, number>();
  model.pieces.forEach((p, i) => { if (!ids.has(p.piece)) ids.set(p.piece, i); });
  const added: Record<string, unknown>[] = [];
  const addToken = (content: string, id: number, special: boolean): void => {
    added.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special });
  };
  model.pieces.forEach((p, i) => {
    if (p.type === PieceType.control || p.type === PieceType.userDefined) addToken(p.piece, i, p.type === PieceType.control);
  });
  // The tokenizer_config's special tokens are special too ([UNK] is an "unknown" piece); those the slow tokenizer
  // adds beyond the pieces ([MASK] in DeBERTa-v3) get the next ids, in order.
  const isAdded = new Set(added.map((t) => t.content));
  let next = model.pieces.length;
  for (const token of options.specialTokens) {
    if (isAdded.has(token)) continue;
    if (!ids.has(token)) ids.set(token, next++);
    addToken(token, ids.get(token)!, true);
  }
  const idOf = (token: string, role: string): number => ids.get(token) ?? refuse(`the ${role} token "${token}" is not one of its pieces; check tokenizer_config.json`);
  const cls = idOf(options.clsToken, 'classification');
  const sep = idOf(options.sepToken, 'separator');
  const raw = options.raw;
  const normalizers: Record<string, unknown>[] = [];
  if (raw.do_lower_case === true) normalizers.push({ type: 'Lowercase' });
  normalizers.push({ type: 'Strip', strip_left: true, strip_right: true });
  if (model.precompiledCharsmap.length > 0) {
    normalizers.push({ type: 'Precompiled', precompiled_charsmap: Buffer.from(model.precompiledCharsmap).toString('base64') });
  }
  normalizers.push({ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' });
  const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  const preTokenizers: Record<string, unknown>[] = raw.split_by_punct === true ? [{ type: 'Punctuation', behavior: 'Isolated' }] : [];
  preTokenizers.push(metaspace);
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: added,
    normalizer: { type: 'Sequence', normalizers },
    pre_tokenizer: { type: 'Sequence', pretokenizers: preTokenizers },
    post_processor: clsSepTemplate(options.clsToken, cls, options.sepToken, sep),
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: model.unkId, vocab: model.pieces.map((p) => [p.piece, p.score]), byte_fallback: false },
  };
}
