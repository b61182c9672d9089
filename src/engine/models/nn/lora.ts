// Merging low-rank adapters into their weights (Hu et al. 2021, "LoRA"), as peft's `merge_and_unload` does, for any
// family whose adapters are stored as `<linear>.lora_A [in, r]` and `<linear>.lora_B [r, out]` beside `<linear>.weight [in, out]`.
import { layoutParams, ParamStore } from './paramStore';

/**
 * A copy of the store without adapters, each adapted weight replaced by W + scale·A·B.
 * @param scale alpha / rank
 */
export function mergeLoraAdapters(store: ParamStore, scale: number): ParamStore {
  const base = store.specs.filter((s) => !s.name.includes('lora_'));
  const merged = new ParamStore(layoutParams(base.map((s) => ({ name: s.name, shape: s.shape }))));
  for (const s of base) merged.get(s.name).set(store.get(s.name));
  for (const spec of store.specs) {
    if (!spec.name.endsWith('.lora_A')) continue;
    const prefix = spec.name.slice(0, -'.lora_A'.length);
    const w = merged.get(`${prefix}.weight`);
    const [inDim, outDim] = merged.spec(`${prefix}.weight`).shape;
    const a = store.get(spec.name);
    const b = store.get(`${prefix}.lora_B`);
    const r = spec.shape[1];
    for (let i = 0; i < inDim; i++) {
      for (let k = 0; k < r; k++) {
        const aik = a[i * r + k] * scale;
        if (aik === 0) continue;
        for (let j = 0; j < outDim; j++) w[i * outDim + j] += aik * b[k * outDim + j];
      }
    }
  }
  return merged;
}
