// The shape a tokenizer.json must have before our WordPiece code or @huggingface/tokenizers is built from it:
// a hostile or broken file must end in an error naming the field, not in an exception deep inside a library or an
// array sized by a token id of 1e15. The bounds are far beyond real tokenizers (the largest have ~260,000 tokens).
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** The most tokens a vocabulary may hold, and the bound on token ids (`vocab_size` has the same bound). */
export const MAX_VOCAB_TOKENS = 2_000_000;

const PARTS = ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder', 'truncation', 'padding'] as const;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  return v !== null && typeof v === 'object' ? 'an object' : String(v);
}

function isTokenId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_VOCAB_TOKENS;
}

/**
 * Checks the parts of a parsed tokenizer.json that our code and the library index by: `model` (an object with a
 * string `type`; its `vocab` a map of token → id, or Unigram's list of [token, score], at most
 * `MAX_VOCAB_TOKENS` entries with ids in [0, MAX_VOCAB_TOKENS)), `added_tokens` (entries with such an id and a
 * string content), `model.unk_token` (a string when present), and the pipeline parts (null or an object with a
 * string `type`; truncation/padding null or an object).
 * @throws EngineError(invalidModel) naming the file, the field and the bound
 */
export function checkTokenizerJson(json: Record<string, unknown>, file: string): void {
  const fail = (field: string, detail: string): never => {
    throw new EngineError(EngineErrorCodes.invalidModel, `"${field}" ${detail}; re-download the tokenizer files or use the model's vocab.txt`, { file });
  };
  const model = json.model;
  if (model === null || typeof model !== 'object' || Array.isArray(model)) return fail('model', `must be an object, got ${describe(model)}`);
  const { type, vocab, unk_token: unk } = model as Record<string, unknown>;
  if (typeof type !== 'string') fail('model.type', `must be a string, got ${describe(type)}`);
  if (unk !== undefined && unk !== null && typeof unk !== 'string') fail('model.unk_token', `must be a string, got ${describe(unk)}`);
  if (Array.isArray(vocab)) {
    if (vocab.length > MAX_VOCAB_TOKENS) fail('model.vocab', `has ${vocab.length} tokens, over the bound of ${MAX_VOCAB_TOKENS}`);
    vocab.forEach((entry, i) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') fail(`model.vocab[${i}]`, `must be a [token, score] pair, got ${describe(entry)}`);
    });
  } else if (vocab !== null && typeof vocab === 'object') {
    const entries = Object.entries(vocab);
    if (entries.length > MAX_VOCAB_TOKENS) fail('model.vocab', `has ${entries.length} tokens, over the bound of ${MAX_VOCAB_TOKENS}`);
    for (const [token, id] of entries) if (!isTokenId(id)) fail(`model.vocab[${describe(token)}]`, `must be a token id, a whole number in [0, ${MAX_VOCAB_TOKENS}), got ${describe(id)}`);
  } else if (vocab !== undefined) fail('model.vocab', `must be an object (token → id) or a list, got ${describe(vocab)}`);
  const added = json.added_tokens ?? [];
  if (!Array.isArray(added)) return fail('added_tokens', `must be a list, got ${describe(added)}`);
  if (added.length > MAX_VOCAB_TOKENS) fail('added_tokens', `has ${added.length} entries, over the bound of ${MAX_VOCAB_TOKENS}`);
  added.forEach((t: unknown, i) => {
    const token = t as { id?: unknown; content?: unknown } | null;
    if (token === null || typeof token !== 'object' || !isTokenId(token.id) || typeof token.content !== 'string') {
      fail(`added_tokens[${i}]`, `must be {id: a whole number in [0, ${MAX_VOCAB_TOKENS}), content: a string}`);
    }
  });
  for (const part of PARTS) {
    const value = json[part];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) fail(part, `must be null or an object, got ${describe(value)}`);
    const partType = (value as { type?: unknown }).type;
    if (part !== 'truncation' && part !== 'padding' && typeof partType !== 'string') fail(`${part}.type`, `must be a string, got ${describe(partType)}`);
  }
}
