// A tokenizer built from a folder's `tokenizer.json` with @huggingface/tokenizers (pure JS, bundles with
// esbuild), for files that are not plain BERT; we add truncation and dynamic padding around it.
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { packBatch, packOne } from './packBatch';
import { resolveSpecialIds } from './resolveSpecialIds';
import { readJsonObject, readTokenizerOptions, type BertTokenizerOptions } from './tokenizerConfig';
import { checkTokenizerJson } from './checkTokenizerJson';
import type { EncodeBatchOptions, EncodedBatch, SpecialTokenIds, TextTokenizer, TokenizerSource } from './textTokenizer';
import { byteLevelBpeTokenizerJson } from './byteLevelBpeJson';
import { unigramTokenizerJsonFromSpm } from './unigramJson';

/** Wraps a `Tokenizer` from @huggingface/tokenizers. */
export class HfJsonTokenizer implements TextTokenizer {
  readonly implementation = '@huggingface/tokenizers' as const;
  readonly vocabSize: number;
  readonly specialIds: SpecialTokenIds;
  readonly modelMaxLength: number;
  private readonly prefix: number[];
  private readonly suffix: number[];

  /**
   * @param tokenizer a loaded @huggingface/tokenizers Tokenizer
   * @param options special token names and max length from tokenizer_config.json
   * @param file tokenizer.json path, named in errors
   */
  constructor(private readonly tokenizer: Tokenizer, options: BertTokenizerOptions, file = 'tokenizer.json', readonly source: TokenizerSource = 'tokenizer.json') {
    const vocab = tokenizer.get_vocab(true);
    let largest = -1;
    for (const id of vocab.values()) if (id > largest) largest = id;
    this.vocabSize = largest + 1;
    this.specialIds = resolveSpecialIds((token) => tokenizer.token_to_id(token), options, file, 'check tokenizer_config.json');
    this.modelMaxLength = options.modelMaxLength;
    // The post-processor's template decides what surrounds the content ([CLS] a [SEP] for BERT); find it by
    // encoding one word with and without special tokens, so truncation can keep both ends.
    const bare = tokenizer.encode('a', { add_special_tokens: false }).ids;
    const full = tokenizer.encode('a', { add_special_tokens: true }).ids;
    const at = indexOfRun(full, bare);
    if (bare.length === 0 || at < 0) {
      throw new EngineError(EngineErrorCodes.invalidModel, 'cannot find where the text goes in the post-processor template', { file });
    }
    this.prefix = full.slice(0, at);
    this.suffix = full.slice(at + bare.length);
  }

  /**
   * Loads `tokenizer.json` (+ tokenizer_config.json) of a model folder.
   * @throws EngineError naming the file when it is missing, not JSON, or not a tokenizer the library can build.
   */
  static async fromFolder(modelDir: string): Promise<HfJsonTokenizer> {
    const file = join(modelDir, 'tokenizer.json');
    const json = await readJsonObject(file);
    if (!json) throw new EngineError(EngineErrorCodes.invalidModel, 'tokenizer.json not found', { file });
    checkTokenizerJson(json, file);
    return HfJsonTokenizer.fromJson(json, await readTokenizerOptions(modelDir), file);
  }

  /**
   * A byte-level BPE tokenizer from a slow RoBERTa tokenizer's `vocab.json` + `merges.txt` (no tokenizer.json).
   * @throws EngineError naming the broken file
   */
  static async fromVocabAndMerges(modelDir: string): Promise<HfJsonTokenizer> {
    const options = await readTokenizerOptions(modelDir);
    const file = join(modelDir, 'vocab.json');
    const json = await byteLevelBpeTokenizerJson(modelDir, options);
    checkTokenizerJson(json, file);
    return HfJsonTokenizer.fromJson(json, options, file, 'vocab.json+merges.txt');
  }

  /**
   * A Unigram tokenizer from a DeBERTa-v2/v3 `spm.model` (SentencePiece protobuf; no tokenizer.json).
   * @throws EngineError naming spm.model when it is broken or not a model we can read (see unigramJson.ts)
   */
  static async fromSentencePiece(modelDir: string): Promise<HfJsonTokenizer> {
    const options = await readTokenizerOptions(modelDir);
    const file = join(modelDir, 'spm.model');
    const json = await unigramTokenizerJsonFromSpm(modelDir, options);
    checkTokenizerJson(json, file);
    return HfJsonTokenizer.fromJson(json, options, file, 'spm.model');
  }

  private static fromJson(json: Record<string, unknown>, options: BertTokenizerOptions, file: string, source: TokenizerSource = 'tokenizer.json'): HfJsonTokenizer {
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json, options.raw);
    } catch (err) {
      throw new EngineError(EngineErrorCodes.invalidModel, `cannot build a tokenizer from it (${(err as Error).message}); if the folder has vocab.txt, remove tokenizer.json to use it`, { file });
    }
    try {
      return new HfJsonTokenizer(tokenizer, options, file, source);
    } catch (err) {
      // The constructor encodes a word to find the template: a broken pipeline fails there, in the library.
      if (err instanceof EngineError) throw err;
      throw new EngineError(EngineErrorCodes.invalidModel, `the tokenizer built from it cannot encode text (${(err as Error).message}); if the folder has vocab.txt, remove tokenizer.json to use it`, { file });
    }
  }

  /** Token ids of `text` without special tokens, untruncated. */
  encodeContent(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  encode(text: string, maxLength = this.modelMaxLength): number[] {
    return packOne(this.encodeContent(text), this.prefix, this.suffix, maxLength);
  }

  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): EncodedBatch {
    const contents = texts.map((t) => this.encodeContent(t));
    return packBatch(contents, this.prefix, this.suffix, this.specialIds.pad, options.maxLength ?? this.modelMaxLength);
  }

  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
