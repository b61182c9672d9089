// The cases of the bounded fuzz test of config.json and tokenizer.json values (issue 17): seeded random sizes
// and types written into a copy of a real model folder, each loaded the way the engine loads a model. Run inside
// a worker thread by modelFilesFuzz.test.ts, which bounds its heap and the time each case may take.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../../../../../src/engine/seededRandom';
import { EngineError } from '../../../../../src/engine/errors';
import { readBertConfig } from '../../../../../src/engine/models/bert/bertConfig';
import { loadBertModel } from '../../../../../src/engine/models/bert/loadBertModel';
import { encoderParameterCount } from '../../../../../src/engine/models/nn/configBounds';
import { validateModelFolder } from '../../../../../src/engine/hub/modelFolder';
import { loadTokenizer } from '../../../../../src/engine/tokenizer/loadTokenizer';

/** Config cases that go on to `loadBertModel` (which reads the 17 MB weights) at most. */
const MAX_LOADS = 12;

/** What one case ended in: a result, or an error with its class and message. */
export interface CaseOutcome {
  index: number;
  kind: 'config' | 'tokenizer';
  /** The JSON written (cut to 300 characters), to reproduce a failure. */
  input: string;
  outcome: 'result' | 'engineError' | 'otherError';
  message: string;
}

const CONFIG_KEYS = [
  'num_hidden_layers', 'hidden_size', 'intermediate_size', 'vocab_size', 'max_position_embeddings', 'num_attention_heads',
  'type_vocab_size', 'pad_token_id', 'layer_norm_eps', 'hidden_dropout_prob', 'attention_probs_dropout_prob',
  'initializer_range', 'classifier_dropout', 'model_type', 'architectures', 'hidden_act', 'position_embedding_type',
  'id2label', 'label2id', 'dim', 'n_layers', 'n_heads', 'hidden_dim',
];

/** A number of any size and sign: small, powers of two, huge, fractional, past the safe integers. */
function randomNumber(rng: SeededRandom): number {
  const pick = Math.floor(rng.next() * 9);
  const sign = rng.next() < 0.2 ? -1 : 1;
  switch (pick) {
    case 0: return 0;
    case 1: return sign * Math.floor(rng.next() * 10);
    case 2: return sign * 2 ** Math.floor(rng.next() * 40);
    case 3: return sign * 10 ** Math.floor(rng.next() * 20);
    case 4: return sign * rng.next() * 10 ** Math.floor(rng.next() * 6);
    case 5: return Number.MAX_SAFE_INTEGER + 2;
    case 6: return sign * 1e308;
    case 7: return 128 * (1 + Math.floor(rng.next() * 4));
    default: return Math.floor(rng.next() * 600);
  }
}

/** Any JSON value: numbers as above, strings (long ones too), null, booleans, arrays, objects, deep nesting. */
function randomValue(rng: SeededRandom, depth = 0): unknown {
  const pick = Math.floor(rng.next() * 10);
  if (depth > 2 && pick > 6) return null;
  switch (pick) {
    case 0: case 1: case 2: return randomNumber(rng);
    case 3: return ['bert', 'distilbert', 'roberta', '', '128', 'gelu', 'relu', '__proto__', 'x'.repeat(1 + Math.floor(rng.next() * 100_000))][Math.floor(rng.next() * 9)];
    case 4: return null;
    case 5: return rng.next() < 0.5;
    case 6: return Array.from({ length: Math.floor(rng.next() * 5) }, () => randomValue(rng, depth + 1));
    case 7: return Object.fromEntries(Array.from({ length: Math.floor(rng.next() * 5) }, (_, i) => [String(i), randomValue(rng, depth + 1)]));
    case 8:
      // Deep nesting (written as text by `toJson`): JSON.parse and everything after must not overflow the stack.
      return { [DEEP]: Math.floor(10 ** (1 + rng.next() * 4)) };
    default: {
      // An id2label-like object of any size (up to past the label bound).
      const n = Math.floor(2 ** (rng.next() * 17.7));
      return Object.fromEntries(Array.from({ length: n }, (_, i) => [String(rng.next() < 0.01 ? i + 1 : i), rng.next() < 0.01 ? randomNumber(rng) : `label${i}`]));
    }
  }
}

const DEEP = '__deep__';

/**
 * A JSON text for `value`; Infinity (not expressible in JSON) is written as a number too large for a double, and
 * `{__deep__: n}` as n nested arrays (too deep to build and stringify as objects here).
 */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (v === Infinity || v === -Infinity) return `__inf_${v > 0 ? '' : '-'}__`;
    if (v && typeof v === 'object' && DEEP in v) return `__deep_${(v as Record<string, number>)[DEEP]}__`;
    return v;
  })
    .replace(/"__inf_(-?)__"/g, '$11e400')
    .replace(/"__deep_(\d+)__"/g, (_, n: string) => `${'['.repeat(Number(n))}1${']'.repeat(Number(n))}`);
}

/** A small plain-BERT tokenizer.json (the form our own WordPiece code runs), mutated by `tokenizerCase`. */
function baseTokenizer(): Record<string, unknown> {
  const tokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', 'this', 'is', 'a', 'test', '##s', ',', '.'];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [0, 1, 2, 3, 4].map((id) => ({ id, content: tokens[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }], pair: [], special_tokens: {} },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(tokens.map((t, i) => [t, i])) },
  };
}

/** A tokenizer.json with one to three random changes: vocabulary ids and sizes, model type, normalizer, added tokens, ... */
function tokenizerCase(rng: SeededRandom): Record<string, unknown> {
  const json = baseTokenizer();
  const model = json.model as Record<string, unknown>;
  for (let n = 1 + Math.floor(rng.next() * 3); n > 0; n--) {
    const pick = Math.floor(rng.next() * 8);
    if (pick === 0) model.vocab = Object.fromEntries(Object.keys(model.vocab as object).map((t) => [t, rng.next() < 0.3 ? randomValue(rng) : randomNumber(rng)]));
    else if (pick === 1) {
      // A large vocabulary with ids of any size.
      const size = Math.floor(2 ** (rng.next() * 18));
      model.vocab = { ...(model.vocab as object), ...Object.fromEntries(Array.from({ length: size }, (_, i) => [`t${i}`, rng.next() < 0.001 ? randomNumber(rng) : 14 + i])) };
    } else if (pick === 2) model.type = ['WordPiece', 'BPE', 'Unigram', 'WordLevel', randomValue(rng)][Math.floor(rng.next() * 5)];
    else if (pick === 3) model[['unk_token', 'continuing_subword_prefix', 'max_input_chars_per_word'][Math.floor(rng.next() * 3)]] = randomValue(rng);
    else if (pick === 4) json.added_tokens = Array.from({ length: Math.floor(rng.next() * 4) }, () => ({ id: randomNumber(rng), content: randomValue(rng), special: true }));
    else if (pick === 5) json[['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'][Math.floor(rng.next() * 4)]] = randomValue(rng);
    else if (pick === 6) json.model = randomValue(rng);
    else json[['truncation', 'padding'][Math.floor(rng.next() * 2)]] = randomValue(rng);
  }
  return json;
}

/**
 * Runs `configCases` config.json cases then `tokenizerCases` tokenizer.json cases from `seed`, each in a fresh copy
 * of `modelDir`, and reports each outcome (and each start, so a hang or a crash can be pinned to its case).
 * Config cases load with `readBertConfig` and `validateModelFolder`, and the first `MAX_LOADS` that pass and
 * describe at most 5 million parameters with `loadBertModel` (so the fuzz allocates little however it is seeded);
 * tokenizer cases load with `loadTokenizer` and encode one sentence.
 */
export async function runModelFilesFuzz(seed: number, configCases: number, tokenizerCases: number, modelDir: string, report: (event: { started: number } | CaseOutcome) => void): Promise<void> {
  const rng = new SeededRandom(seed);
  const baseConfig = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const root = mkdtempSync(join(tmpdir(), 'cw-fuzz-'));
  let loads = 0;
  try {
    for (let index = 0; index < configCases + tokenizerCases; index++) {
      report({ started: index });
      const dir = join(root, String(index));
      copyModel(modelDir, dir);
      const kind = index < configCases ? 'config' : 'tokenizer';
      let input: string;
      if (kind === 'config') {
        const config: Record<string, unknown> = { ...baseConfig };
        for (let n = 1 + Math.floor(rng.next() * 3); n > 0; n--) config[CONFIG_KEYS[Math.floor(rng.next() * CONFIG_KEYS.length)]] = rng.next() < 0.6 ? randomNumber(rng) : randomValue(rng);
        input = toJson(config);
        writeFileSync(join(dir, 'config.json'), input);
      } else {
        input = toJson(tokenizerCase(rng));
        writeFileSync(join(dir, 'tokenizer.json'), input);
      }
      let outcome: CaseOutcome['outcome'] = 'result';
      let message = '';
      try {
        if (kind === 'config') {
          const cfg = readBertConfig(dir);
          await validateModelFolder(dir);
          // Loading reads 17 MB of weights: a few loads show that configs past the checks fail cleanly too.
          if (loads < MAX_LOADS && encoderParameterCount(cfg) <= 5_000_000) {
            loads++;
            await loadBertModel(dir, 2);
          }
        } else {
          const tokenizer = await loadTokenizer(dir);
          message = `${tokenizer.encode('Hello world, this is a test.', 16).length} ids`;
        }
      } catch (err) {
        outcome = err instanceof EngineError ? 'engineError' : 'otherError';
        message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      report({ index, kind, input: input.length > 300 ? `${input.slice(0, 300)}…` : input, outcome, message: message.slice(0, 500) });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The tiny model's files: weights linked (read-only, 17 MB), the small files copied so a case can replace them. */
function copyModel(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) copyFileSync(join(from, name), join(to, name));
  symlinkSync(join(from, 'model.safetensors'), join(to, 'model.safetensors'));
}
