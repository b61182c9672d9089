// Writes a Hugging Face `*ForSequenceClassification` folder (config.json with the label maps,
// model.safetensors with HF names, tokenizer files) that Python `transformers` and loadBertPredictor load as is.
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BertConfig } from './bertConfig';
import { layoutParams, ParamStore } from '../nn/paramStore';
import { loraTargetPaths, type LoraSettings } from './bertParams';
import { toHfTensors } from './weights';
import { writeSafetensors } from '../../tensorFiles/safetensors';
import { TOKENIZER_FILES } from '../../hub/modelFolder';

/**
 * A copy of the store without adapters, each adapted weight replaced by W + (alpha/rank)·A·B
 * (what peft's `merge_and_unload` does).
 */
export function mergeLora(cfg: BertConfig, store: ParamStore, lora: LoraSettings): ParamStore {
  const base = store.specs.filter((s) => !s.name.includes('lora_'));
  const merged = new ParamStore(layoutParams(base.map((s) => ({ name: s.name, shape: s.shape }))));
  for (const s of base) merged.get(s.name).set(store.get(s.name));
  const scale = lora.alpha / lora.rank;
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    for (const target of lora.targets) {
      const p = `encoder.layer.${layer}.${loraTargetPaths[target]}`;
      const w = merged.get(`${p}.weight`);
      const [inDim, outDim] = merged.spec(`${p}.weight`).shape;
      const a = store.get(`${p}.lora_A`);
      const b = store.get(`${p}.lora_B`);
      const r = lora.rank;
      for (let i = 0; i < inDim; i++) {
        for (let k = 0; k < r; k++) {
          const aik = a[i * r + k] * scale;
          if (aik === 0) continue;
          for (let j = 0; j < outDim; j++) w[i * outDim + j] += aik * b[k * outDim + j];
        }
      }
    }
  }
  return merged;
}

/** transformers' class-name prefix of each model_type we export. */
const classPrefixes: Record<string, string> = {
  bert: 'Bert', distilbert: 'DistilBert', roberta: 'Roberta', 'xlm-roberta': 'XLMRoberta', camembert: 'Camembert', electra: 'Electra',
};

/**
 * Exports the classifier to `outDir` (created; files written atomically).
 * @param sourceDir folder whose tokenizer files are copied
 */
export async function exportBertModel(outDir: string, cfg: BertConfig, store: ParamStore, labels: readonly string[], sourceDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const id2label: Record<string, string> = {};
  const label2id: Record<string, number> = {};
  labels.forEach((l, i) => {
    id2label[String(i)] = l;
    label2id[l] = i;
  });
  const modelType = String(cfg.raw.model_type);
  const config = { ...cfg.raw, architectures: [`${classPrefixes[modelType] ?? 'Bert'}ForSequenceClassification`], model_type: modelType, num_labels: labels.length, id2label, label2id, problem_type: 'single_label_classification' };
  const tmpConfig = join(outDir, 'config.json.tmp');
  await writeFile(tmpConfig, `${JSON.stringify(config, null, 2)}\n`);
  await rename(tmpConfig, join(outDir, 'config.json'));
  const tensors = new Map([...toHfTensors(cfg, store)].map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
  await writeSafetensors(join(outDir, 'model.safetensors'), tensors);
  for (const f of TOKENIZER_FILES) {
    const src = join(sourceDir, f);
    if (!existsSync(src)) continue;
    await copyFile(src, join(outDir, `${f}.tmp`));
    await rename(join(outDir, `${f}.tmp`), join(outDir, f));
  }
}
