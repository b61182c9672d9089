// Reads a model folder's config.json labels for the head matching of src/engine/classifier/headAlignment.ts,
// through the bounded readers (file size cap, id2label bounds) every model family uses.
import { join } from 'node:path';
import { configLabels, type ConfigLabels } from '../../classifier/headAlignment';
import { readJsonObject } from '../../tokenizer/tokenizerConfig';
import { labelsFromId2label } from './configBounds';

/**
 * `id2label` (in id order) and `model_type` of `<dir>/config.json`.
 * @throws EngineError(invalidModel) naming the file when it is unreadable or its id2label breaks the bounds.
 */
export async function readConfigLabels(dir: string): Promise<ConfigLabels> {
  const file = join(dir, 'config.json');
  const raw = (await readJsonObject(file)) ?? {};
  return configLabels(raw, labelsFromId2label(raw, file));
}
