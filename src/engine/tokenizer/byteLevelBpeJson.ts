// The tokenizer.json that Hugging Face's `tokenizers` builds from a slow RoBERTa/GPT-2 tokenizer's files
// (vocab.json + merges.txt), so folders that ship only those files tokenise exactly as the fast tokenizer would:
// byte-level pre-tokenization (GPT-2's split), BPE over the merges, `<s> A </s>` around the text.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { readJsonObject, type BertTokenizerOptions } from './tokenizerConfig';

/**
 * The tokenizer.json object for `vocab.json` + `merges.txt` in `modelDir`.
 * @param options special tokens from tokenizer_config.json (cls → `<s>`, sep → `</s>` for RoBERTa)
 * @throws EngineError naming the file when vocab.json is not a token → id object, a merges line is not two
 *   tokens, or a special token is missing from the vocabulary
 */
export async function byteLevelBpeTokenizerJson(modelDir: string, options: BertTokenizerOptions): Promise<Record<string, unknown>> {
  const vocabFile = join(modelDir, 'vocab.json');
  const mergesFile = join(modelDir, 'merges.txt');
  const vocab = await readJsonObject(vocabFile);
  if (!vocab || Object.values(vocab).some((id) => !Number.isSafeInteger(id))) {
    throw new EngineError(EngineErrorCodes.invalidModel, 'vocab.json must map each token to an integer id; re-download it', { file: vocabFile });
  }
  const merges: [string, string][] = [];
  (await readFile(mergesFile, 'utf8')).split('\n').forEach((line, i) => {
    // The first line of a merges file is its version comment; blank lines end it.
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    const parts = line.replace(/\r$/, '').split(' ');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new EngineError(EngineErrorCodes.invalidModel, `a merge is two tokens separated by one space, got ${JSON.stringify(line)}; re-download merges.txt`, { file: mergesFile, line: i + 1 });
    }
    merges.push([parts[0], parts[1]]);
  });
  const idOf = (token: string, role: string): number => {
    const id = vocab[token];
    if (typeof id !== 'number') throw new EngineError(EngineErrorCodes.invalidModel, `the ${role} token "${token}" is not in vocab.json; check tokenizer_config.json`, { file: vocabFile });
    return id;
  };
  const cls = idOf(options.clsToken, 'classification');
  const sep = idOf(options.sepToken, 'separator');
  const addPrefixSpace = options.raw.add_prefix_space === true;
  const added = [...options.specialTokens].filter((t) => typeof vocab[t] === 'number').map((t) => ({
    id: vocab[t], content: t, single_word: false, lstrip: t === options.maskToken, rstrip: false, normalized: false, special: true,
  }));
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: added, normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: [options.sepToken, sep], cls: [options.clsToken, cls], trim_offsets: true, add_prefix_space: addPrefixSpace },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false,
      byte_fallback: false, ignore_merges: false, vocab, merges,
    },
  };
}
