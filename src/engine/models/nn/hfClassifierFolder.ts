// Writes a Hugging Face `*ForSequenceClassification` folder for any family: config.json (the family's config with
// the architecture and the label maps), model.safetensors (HF names and layouts, from the family) and the source
// model's tokenizer files, plus the tokenizer.json that transformers.js needs (converted when the model shipped only
// slow-tokenizer files) and a tokenizer_config.json that states how the engine tokenised. Every copied file is
// written to a temp name and renamed.
import { chmod, copyFile, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../../tensorFiles/safetensors';
import { TOKENIZER_FILES } from '../../hub/modelFolder';
import { writeFastTokenizerJson } from '../../tokenizer/fastTokenizerJson';
import { writeExportTokenizerConfig } from '../../tokenizer/exportTokenizerConfig';

/**
 * @param raw the model's config.json as read (kept, so the folder loads as the same architecture)
 * @param architecture e.g. `BertForSequenceClassification`
 * @param tensors HF name → shape and float32 values
 * @param sourceDir folder whose tokenizer files are copied
 * @param usablePositions the position rows a sequence may use (max_position_embeddings less RoBERTa's padding
 *   offset): tokenizer_config.json's model_max_length is never larger, so loaders truncate where the engine does
 */
export async function writeHfClassifierFolder(
  outDir: string, raw: Readonly<Record<string, unknown>>, architecture: string, labels: readonly string[],
  tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, sourceDir: string, usablePositions: number,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const id2label: Record<string, string> = {};
  const label2id: Record<string, number> = {};
  labels.forEach((l, i) => {
    id2label[String(i)] = l;
    label2id[l] = i;
  });
  const config = { ...raw, architectures: [architecture], model_type: raw.model_type, num_labels: labels.length, id2label, label2id, problem_type: 'single_label_classification' };
  const tmpConfig = join(outDir, 'config.json.tmp');
  await writeFile(tmpConfig, `${JSON.stringify(config, null, 2)}\n`);
  await rename(tmpConfig, join(outDir, 'config.json'));
  await writeSafetensors(join(outDir, 'model.safetensors'), new Map(tensors));
  for (const f of TOKENIZER_FILES) {
    const src = join(sourceDir, f);
    if (!existsSync(src)) continue;
    const tmp = join(outDir, `${f}.tmp`);
    await copyFile(src, tmp);
    // copyFile keeps the source's mode: a read-only model folder (a shared mount, a store) would make the user's
    // exported tokenizer files read-only too. They are the user's to edit, like the files written here.
    await chmod(tmp, (await stat(tmp)).mode | 0o200);
    await rename(tmp, join(outDir, f));
  }
  // The same tokenizer files with or without ONNX: transformers.js reads tokenizer.json only, Python reads either.
  await writeFastTokenizerJson(outDir);
  await writeExportTokenizerConfig(outDir, usablePositions);
}
