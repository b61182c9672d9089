// Writes a Hugging Face `*ForSequenceClassification` folder (config.json with the label maps,
// model.safetensors with HF names, tokenizer files) that Python `transformers` and loadBertPredictor load as is.
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { toHfTensors } from './weights';
import { writeHfClassifierFolder } from '../nn/hfClassifierFolder';

/** transformers' class-name prefix of each model_type we export. */
const classPrefixes: Record<string, string> = {
  bert: 'Bert', distilbert: 'DistilBert', roberta: 'Roberta', 'xlm-roberta': 'XLMRoberta', camembert: 'Camembert', electra: 'Electra', 'deberta-v2': 'DebertaV2',
};

/**
 * Exports the classifier to `outDir` (created; files written atomically).
 * @param sourceDir folder whose tokenizer files are copied
 */
export async function exportBertModel(outDir: string, cfg: BertConfig, store: ParamStore, labels: readonly string[], sourceDir: string): Promise<void> {
  const modelType = String(cfg.raw.model_type);
  await writeHfClassifierFolder(outDir, cfg.raw, `${classPrefixes[modelType] ?? 'Bert'}ForSequenceClassification`, labels, toHfTensors(cfg, store), sourceDir, cfg.maxPositions - cfg.positionOffset);
}
