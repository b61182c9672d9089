// The internal parameter list of a BERT/DistilBERT classifier (names follow HF BERT without the `bert.` prefix)
// and the one place weights are randomly initialised.
import type { BertConfig } from './bertConfig';
import { layoutParams, ParamStore, type ParamShape, type ParamSpec } from '../nn/paramStore';
import { SeededRandom } from '../../seededRandom';

/** Low-rank adapters (Hu et al. 2021, "LoRA"): W' = W + (alpha / rank) · A · B on the targeted projections. */
export interface LoraSettings {
  rank: number;
  alpha: number;
  dropout: number;
  /** Internal projection names per layer: `query`, `key`, `value`, `output`, `intermediate`, `ffnOutput`. */
  targets: string[];
}

/** Per-layer internal prefixes of the linear layers LoRA can target. */
export const loraTargetPaths: Record<string, string> = {
  query: 'attention.self.query',
  key: 'attention.self.key',
  value: 'attention.self.value',
  output: 'attention.output.dense',
  intermediate: 'intermediate.dense',
  ffnOutput: 'output.dense',
};

/** DeBERTa's relative-position embedding table, shared by all layers. */
export const relativeTable = 'encoder.rel_embeddings.weight';

/** Parameters every encoder layer reads besides its own (DeBERTa's relative table and its LayerNorm). */
export function sharedLayerParams(cfg: BertConfig): string[] {
  if (!cfg.relativeAttention) return [];
  return [relativeTable, ...(cfg.relativeAttention.normRelEmbedding ? ['encoder.LayerNorm.weight', 'encoder.LayerNorm.bias'] : [])];
}

/** Shapes of every parameter, in a fixed order (the flat buffer's layout). */
export function bertParamShapes(cfg: BertConfig, numLabels: number, lora?: LoraSettings): ParamShape[] {
  const h = cfg.hiddenSize;
  const e = cfg.embeddingSize;
  const out: ParamShape[] = [{ name: 'embeddings.word_embeddings.weight', shape: [cfg.vocabSize, e] }];
  if (cfg.absolutePositions !== false) out.push({ name: 'embeddings.position_embeddings.weight', shape: [cfg.maxPositions, e] });
  if (cfg.typeVocabSize > 0) out.push({ name: 'embeddings.token_type_embeddings.weight', shape: [cfg.typeVocabSize, e] });
  out.push({ name: 'embeddings.LayerNorm.weight', shape: [e] }, { name: 'embeddings.LayerNorm.bias', shape: [e] });
  const linear = (name: string, inDim: number, outDim: number): void => {
    out.push({ name: `${name}.weight`, shape: [inDim, outDim] }, { name: `${name}.bias`, shape: [outDim] });
  };
  // ELECTRA-small and similar: narrower embeddings projected to the hidden size.
  if (e !== h) linear('embeddings_project', e, h);
  const norm = (name: string): void => {
    out.push({ name: `${name}.weight`, shape: [h] }, { name: `${name}.bias`, shape: [h] });
  };
  const rel = cfg.relativeAttention;
  // DeBERTa: one relative-position table for all layers, optionally layer-normed (`norm_rel_ebd`).
  if (rel) out.push({ name: relativeTable, shape: [2 * rel.span, h] });
  if (rel?.normRelEmbedding) norm('encoder.LayerNorm');
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `encoder.layer.${i}`;
    linear(`${p}.attention.self.query`, h, h);
    linear(`${p}.attention.self.key`, h, h);
    linear(`${p}.attention.self.value`, h, h);
    // DeBERTa without share_att_key projects positions with their own matrices.
    if (rel && !rel.shareKey && rel.c2p) linear(`${p}.attention.self.pos_key_proj`, h, h);
    if (rel && !rel.shareKey && rel.p2c) linear(`${p}.attention.self.pos_query_proj`, h, h);
    linear(`${p}.attention.output.dense`, h, h);
    norm(`${p}.attention.output.LayerNorm`);
    linear(`${p}.intermediate.dense`, h, cfg.intermediateSize);
    linear(`${p}.output.dense`, cfg.intermediateSize, h);
    norm(`${p}.output.LayerNorm`);
  }
  linear('pooler.dense', h, h);
  linear('classifier', h, numLabels);
  if (lora) {
    for (let i = 0; i < cfg.numLayers; i++) {
      for (const target of lora.targets) {
        const base = `encoder.layer.${i}.${loraTargetPaths[target]}`;
        const [inDim, outDim] = out.find((s) => s.name === `${base}.weight`)!.shape;
        out.push({ name: `${base}.lora_A`, shape: [inDim, lora.rank] }, { name: `${base}.lora_B`, shape: [lora.rank, outDim] });
      }
    }
  }
  return out;
}

/** Lays out a fresh, zero-filled store for `cfg`. */
export function createBertStore(cfg: BertConfig, numLabels: number, lora?: LoraSettings): ParamStore {
  return new ParamStore(layoutParams(bertParamShapes(cfg, numLabels, lora)));
}

/**
 * Initialises the named tensors as Hugging Face does (`BertPreTrainedModel._init_weights`, the same in RoBERTa and
 * ELECTRA): normal(0, range) for matrices and embeddings, zero biases, LayerNorm 1/0, zero padding rows. LoRA follows peft: A uniform
 * ±1/sqrt(in) (kaiming-uniform with a=√5), B zero, so the adapted model starts equal to the base model.
 */
export function initWeights(store: ParamStore, cfg: BertConfig, names: Iterable<string>, seed: number): void {
  const rng = new SeededRandom(seed);
  for (const name of names) {
    const spec: ParamSpec = store.spec(name);
    const v = store.get(name);
    if (name.endsWith('lora_A')) {
      const bound = 1 / Math.sqrt(spec.shape[0]);
      for (let i = 0; i < v.length; i++) v[i] = (rng.next() * 2 - 1) * bound;
    } else if (name.endsWith('lora_B') || name.endsWith('.bias')) {
      v.fill(0);
    } else if (name.includes('LayerNorm')) {
      v.fill(1);
    } else {
      for (let i = 0; i < v.length; i++) v[i] = rng.normal() * cfg.initializerRange;
      if (name === 'embeddings.word_embeddings.weight' && cfg.padTokenId < cfg.vocabSize) {
        v.fill(0, cfg.padTokenId * spec.shape[1], (cfg.padTokenId + 1) * spec.shape[1]);
      }
      // RoBERTa's position table has padding_idx too (the position of padding tokens).
      if (name === 'embeddings.position_embeddings.weight' && cfg.positionOffset > 0) {
        v.fill(0, cfg.padTokenId * spec.shape[1], (cfg.padTokenId + 1) * spec.shape[1]);
      }
    }
  }
}
