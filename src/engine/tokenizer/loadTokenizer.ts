// Picks how to build a model folder's tokenizer: tokenizer.json when present, else vocab.txt.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { HfJsonTokenizer } from './hfJsonTokenizer';
import type { TextTokenizer, TokenizerSource } from './textTokenizer';
import { WordPieceTokenizer } from './wordPieceTokenizer';

export interface LoadTokenizerOptions {
  /** Force one source; default: tokenizer.json when present, else vocab.txt. */
  source?: 'auto' | TokenizerSource;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The tokenizer of a Hugging Face model folder: built from `tokenizer.json` with @huggingface/tokenizers, or,
 * when the folder has only `vocab.txt` (+ `tokenizer_config.json`), the equivalent BERT WordPiece tokenizer.
 * @param modelDir a folder with tokenizer.json or vocab.txt
 * @throws EngineError naming the folder when it has neither file, or naming the file that is broken.
 */
export async function loadTokenizer(modelDir: string, options: LoadTokenizerOptions = {}): Promise<TextTokenizer> {
  const source = options.source ?? 'auto';
  if (source === 'tokenizer.json') return HfJsonTokenizer.fromFolder(modelDir);
  if (source === 'vocab.txt') return WordPieceTokenizer.fromFolder(modelDir);
  if (await exists(join(modelDir, 'tokenizer.json'))) return HfJsonTokenizer.fromFolder(modelDir);
  if (await exists(join(modelDir, 'vocab.txt'))) return WordPieceTokenizer.fromFolder(modelDir);
  throw new EngineError(
    EngineErrorCodes.invalidModel,
    'no tokenizer files: the folder needs tokenizer.json or vocab.txt (copy them from the model you fine-tune)',
    { file: modelDir },
  );
}
