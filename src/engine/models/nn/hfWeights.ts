// Hugging Face tensors in and out of the flat parameter store, for any family: the family says how its internal
// names map to checkpoint names (HfNaming); this module does the shared part — find each tensor, check its shape,
// transpose linear weights (HF Linear weights are PyTorch `[out, in]`, the store keeps `[in, out]`), and fail loudly
// on a missing, unexpected or wrongly shaped tensor, naming it and the file.
import type { ParamStore } from './paramStore';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** A decoded float tensor as read from / written to safetensors. */
export interface HfTensor {
  shape: number[];
  data: Float32Array;
}

/** One family's mapping between internal parameter names and checkpoint tensor names. */
export interface HfNaming {
  /** The config's model_type and layer count, for messages. */
  modelType: string;
  numLayers: number;
  /** Checkpoint names of an internal tensor, in the order they are looked for; the first is the one exported. */
  keys(internal: string): string[];
  /** Stored `[in, out]`, `[out, in]` in the checkpoint. */
  isLinearWeight(internal: string, shape: readonly number[]): boolean;
  /** A tensor a base checkpoint may lack (head, classifier, adapters): initialised instead. */
  optional(internal: string): boolean;
  /** A checkpoint tensor the classifier does not use (pre-training heads, buffers): passed over. */
  ignored(name: string): boolean;
  /** Said after "The file does not match config.json" for a missing tensor, e.g. " (check attention_bias)". */
  missingHint?: string;
  /** Said after "the weights do not match config.json" for unexpected tensors. */
  extraHint?: string;
}

export interface LoadWeightsResult {
  /** Internal names that the file lacked and that must be initialised (head/adapters). */
  missing: string[];
  /** Classifier tensors whose shape did not match (e.g. a different number of labels): re-initialised. */
  reinitialised: string[];
}

export function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

/** Checkpoint shape of an internal tensor (linear weights transposed back to `[out, in]`). */
function hfShape(naming: HfNaming, internal: string, shape: number[]): number[] {
  return naming.isLinearWeight(internal, shape) ? [shape[1], shape[0]] : shape;
}

/**
 * Copies checkpoint tensors into the store.
 * @param file the weights file (or shard index), for messages
 * @param opts.allowHeadMismatch re-initialise `classifier.*` of another shape (fine-tuning a checkpoint that already
 *   has a head for other labels) instead of failing (loading a trained model for prediction)
 * @throws EngineError(invalidModel) on a missing required tensor, an unexpected tensor, or a wrong shape
 */
export function loadHfTensors(
  store: ParamStore, tensors: ReadonlyMap<string, HfTensor>, file: string, naming: HfNaming, opts: { allowHeadMismatch?: boolean } = {},
): LoadWeightsResult {
  const used = new Set<string>();
  const missing: string[] = [];
  const reinitialised: string[] = [];
  for (const spec of store.specs) {
    const keys = naming.keys(spec.name);
    const found = keys.find((k) => tensors.has(k));
    if (!found) {
      if (naming.optional(spec.name)) {
        missing.push(spec.name);
        continue;
      }
      throw new EngineError(EngineErrorCodes.invalidModel, `The weights lack tensor "${keys[0]}" (${naming.modelType}, shape [${hfShape(naming, spec.name, spec.shape)}]). The file does not match config.json${naming.missingHint ?? ''}; re-download or re-export the model.`, { file });
    }
    used.add(found);
    const t = tensors.get(found)!;
    const want = hfShape(naming, spec.name, spec.shape);
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      if (opts.allowHeadMismatch && spec.name.startsWith('classifier.')) {
        reinitialised.push(spec.name);
        continue;
      }
      throw new EngineError(EngineErrorCodes.invalidModel, `Tensor "${found}" has shape [${t.shape.join(', ')}] but config.json implies [${want.join(', ')}]. The weights and config.json do not belong together.`, { file });
    }
    store.get(spec.name).set(naming.isLinearWeight(spec.name, spec.shape) ? transpose(t.data, t.shape[0], t.shape[1]) : t.data);
  }
  const extra = [...tensors.keys()].filter((k) => !used.has(k) && !naming.ignored(k));
  if (extra.length) {
    throw new EngineError(EngineErrorCodes.invalidModel, `Unexpected tensor${extra.length > 1 ? 's' : ''} ${extra.slice(0, 5).map((e) => `"${e}"`).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''} for a ${naming.modelType} model with ${naming.numLayers} layers: the weights do not match config.json${naming.extraHint ?? ''}.`, { file });
  }
  return { missing, reinitialised };
}

/** Checkpoint tensors of the store under their exported names, linear weights `[out, in]`. LoRA adapters must be merged first (they are left out). */
export function hfTensorsOf(store: ParamStore, naming: HfNaming): Map<string, HfTensor> {
  const out = new Map<string, HfTensor>();
  for (const spec of store.specs) {
    if (spec.name.includes('lora_')) continue;
    const v = store.get(spec.name);
    const data = naming.isLinearWeight(spec.name, spec.shape) ? transpose(v, spec.shape[0], spec.shape[1]) : v.slice();
    out.set(naming.keys(spec.name)[0], { shape: hfShape(naming, spec.name, spec.shape), data });
  }
  return out;
}
