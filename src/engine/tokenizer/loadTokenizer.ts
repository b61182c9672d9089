// Picks how to build a model folder's tokenizer: tokenizer.json when present, else vocab.txt, else a byte-level
// BPE's vocab.json + merges.txt, else a SentencePiece Unigram spm.model (DeBERTa-v2/v3).
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { HfJsonTokenizer } from './hfJsonTokenizer';
import type { TextTokenizer, TokenizerSource } from './textTokenizer';
import { readJsonObject, readTokenizerOptions } from './tokenizerConfig';
import { checkTokenizerJson } from './checkTokenizerJson';
import { wordPieceFromTokenizerJson } from './wordPieceFromTokenizerJson';
import { WordPieceTokenizer } from './wordPieceTokenizer';
import { pathExists } from '../pathExists';

export interface LoadTokenizerOptions {
  /** Force one source; default: tokenizer.json when present, else vocab.txt. */
  source?: 'auto' | TokenizerSource;
  /**
   * For tokenizer.json: `auto` (default) runs our WordPiece code when the file is plain BERT and the library
   * otherwise; `library` always uses @huggingface/tokenizers.
   */
  implementation?: 'auto' | 'library';
}

/**
 * The tokenizer of a Hugging Face model folder: built from `tokenizer.json` (our WordPiece code when the file is
 * plain BERT, else @huggingface/tokenizers), or, when the folder has only `vocab.txt` (+ `tokenizer_config.json`),
 * the equivalent BERT WordPiece tokenizer; `vocab.json` + `merges.txt` (byte-level BPE) and `spm.model` (Unigram)
 * are turned into the tokenizer.json `transformers` would convert them to.
 * @param modelDir a folder with tokenizer.json or vocab.txt
 * @throws EngineError naming the folder when it has neither file, or naming the file that is broken.
 */
export async function loadTokenizer(modelDir: string, options: LoadTokenizerOptions = {}): Promise<TextTokenizer> {
  const source = options.source ?? 'auto';
  const fromJson = (): Promise<TextTokenizer> => loadTokenizerJson(modelDir, options.implementation ?? 'auto');
  if (source === 'tokenizer.json') return fromJson();
  if (source === 'vocab.txt') return WordPieceTokenizer.fromFolder(modelDir);
  if (source === 'vocab.json+merges.txt') return HfJsonTokenizer.fromVocabAndMerges(modelDir);
  if (source === 'spm.model') return HfJsonTokenizer.fromSentencePiece(modelDir);
  if (await pathExists(join(modelDir, 'tokenizer.json'))) return fromJson();
  if (await pathExists(join(modelDir, 'vocab.txt'))) return WordPieceTokenizer.fromFolder(modelDir);
  if (await pathExists(join(modelDir, 'vocab.json')) && await pathExists(join(modelDir, 'merges.txt'))) return HfJsonTokenizer.fromVocabAndMerges(modelDir);
  if (await pathExists(join(modelDir, 'spm.model'))) return HfJsonTokenizer.fromSentencePiece(modelDir);
  throw new EngineError(
    EngineErrorCodes.invalidModel,
    'no tokenizer files: the folder needs tokenizer.json, vocab.txt, vocab.json with merges.txt, or spm.model (copy them from the model you fine-tune)',
    { file: modelDir },
  );
}

async function loadTokenizerJson(modelDir: string, implementation: 'auto' | 'library'): Promise<TextTokenizer> {
  if (implementation === 'library') return HfJsonTokenizer.fromFolder(modelDir);
  const file = join(modelDir, 'tokenizer.json');
  const json = await readJsonObject(file);
  if (json) checkTokenizerJson(json, file);
  const fast = json ? wordPieceFromTokenizerJson(json, await readTokenizerOptions(modelDir), file) : undefined;
  return fast ?? HfJsonTokenizer.fromFolder(modelDir);
}
