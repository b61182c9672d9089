// The BERT WordPiece tokenizer built from `vocab.txt` (+ tokenizer_config.json), for folders without a
// tokenizer.json. It reproduces Hugging Face's BertTokenizer: special tokens, basic tokenisation, WordPiece.
import { readModelFile } from '../boundedFile';
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { basicTokenize, type BasicTokenizeOptions } from './basicTokenize';
import { packBatch, packOne } from './packBatch';
import { resolveSpecialIds } from './resolveSpecialIds';
import { splitSpecialTokens } from './splitSpecialTokens';
import { readTokenizerOptions, type BertTokenizerOptions } from './tokenizerConfig';
import type { EncodeBatchOptions, EncodedBatch, SpecialTokenIds, TextTokenizer, TokenizerSource } from './textTokenizer';
import { WordPiece } from './wordPiece';

/** A BERT tokenizer from a vocabulary and BertTokenizer options. */
export class WordPieceTokenizer implements TextTokenizer {
  readonly implementation = 'wordpiece' as const;
  readonly vocabSize: number;
  readonly specialIds: SpecialTokenIds;
  readonly modelMaxLength: number;
  private readonly tokens: string[] = [];
  private readonly specials = new Map<string, number>();
  private readonly basic: BasicTokenizeOptions;
  private readonly doBasicTokenize: boolean;
  private readonly wordPiece: WordPiece;
  private readonly words: string[] = [];

  /**
   * @param vocab token → id (the lines of vocab.txt, or the `model.vocab` of a tokenizer.json)
   * @param options from tokenizer_config.json (see `readTokenizerOptions`)
   * @param source which file the vocabulary came from (named in errors)
   * @param file named in errors
   */
  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    options: BertTokenizerOptions,
    readonly source: TokenizerSource = 'vocab.txt',
    file = 'vocab.txt',
    wordPieceOptions: { prefix?: string; maxCharsPerWord?: number } = {},
  ) {
    let largest = -1;
    for (const [token, id] of vocab) {
      this.tokens[id] = token;
      if (id > largest) largest = id;
    }
    this.vocabSize = largest + 1;
    this.specialIds = resolveSpecialIds((token) => vocab.get(token), options, file, "check tokenizer_config.json or use the model's original tokenizer files");
    for (const token of options.specialTokens) {
      const id = this.vocab.get(token);
      if (id !== undefined && token.length > 0) this.specials.set(token, id);
    }
    this.modelMaxLength = options.modelMaxLength;
    this.doBasicTokenize = options.doBasicTokenize;
    this.basic = {
      lowerCase: options.doLowerCase,
      stripAccents: options.stripAccents ?? options.doLowerCase,
      tokenizeChineseChars: options.tokenizeChineseChars,
    };
    this.wordPiece = new WordPiece(this.vocab, this.specialIds.unk, wordPieceOptions.prefix, wordPieceOptions.maxCharsPerWord);
  }

  /**
   * Loads `vocab.txt` and the options of a model folder.
   * @throws EngineError naming the file when vocab.txt is missing, empty or lacks a special token.
   */
  static async fromFolder(modelDir: string): Promise<WordPieceTokenizer> {
    const file = join(modelDir, 'vocab.txt');
    let text: string;
    try {
      text = (await readModelFile(file)).toString('utf8');
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw new EngineError(EngineErrorCodes.invalidModel, `cannot read the vocabulary (${(err as Error).message}); the folder needs tokenizer.json or vocab.txt`, { file });
    }
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) throw new EngineError(EngineErrorCodes.invalidModel, 'the vocabulary is empty', { file });
    // A repeated line maps to its last index, as Hugging Face's load_vocab does.
    const vocab = new Map<string, number>();
    lines.forEach((line, id) => vocab.set(line.endsWith('\r') ? line.slice(0, -1) : line, id));
    return new WordPieceTokenizer(vocab, await readTokenizerOptions(modelDir), 'vocab.txt', file);
  }

  /** Token ids of `text` without [CLS]/[SEP], untruncated. */
  encodeContent(text: string): number[] {
    const ids: number[] = [];
    const words = this.words;
    for (const section of this.specials.size > 0 ? splitSpecialTokens(text, this.specials) : [{ text }]) {
      if ('id' in section) {
        ids.push(section.id);
        continue;
      }
      words.length = 0;
      if (this.doBasicTokenize) basicTokenize(section.text, this.basic, words);
      else for (const w of section.text.split(/\s+/)) if (w) words.push(w); // HF whitespace_tokenize
      for (const word of words) this.wordPiece.encodeWord(word, ids);
    }
    return ids;
  }

  encode(text: string, maxLength = this.modelMaxLength): number[] {
    return packOne(this.encodeContent(text), [this.specialIds.cls], [this.specialIds.sep], maxLength);
  }

  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): EncodedBatch {
    const contents = texts.map((t) => this.encodeContent(t));
    return packBatch(contents, [this.specialIds.cls], [this.specialIds.sep], this.specialIds.pad, options.maxLength ?? this.modelMaxLength);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }
}
