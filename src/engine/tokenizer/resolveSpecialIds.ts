// Looks up the special tokens named by tokenizer_config.json in a vocabulary, for both tokenizer implementations.
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import type { BertTokenizerOptions } from './tokenizerConfig';
import type { SpecialTokenIds } from './textTokenizer';

/**
 * The ids of the padding, unknown, classification and separator tokens (required) and the mask token (optional).
 * @param idOf token → id in the tokenizer's vocabulary, undefined when absent
 * @param options special token names from tokenizer_config.json
 * @param file named in errors
 * @param advice what the user should do, appended to the error
 * @throws EngineError (invalidModel) naming `file` and the missing token
 */
export function resolveSpecialIds(idOf: (token: string) => number | undefined, options: BertTokenizerOptions, file: string, advice: string): SpecialTokenIds {
  const need = (token: string, role: string): number => {
    const id = idOf(token);
    if (id === undefined) {
      throw new EngineError(EngineErrorCodes.invalidModel, `the ${role} token "${token}" is not in the vocabulary; ${advice}`, { file });
    }
    return id;
  };
  return {
    pad: need(options.padToken, 'padding'),
    unk: need(options.unkToken, 'unknown'),
    cls: need(options.clsToken, 'classification'),
    sep: need(options.sepToken, 'separator'),
    mask: idOf(options.maskToken),
  };
}
