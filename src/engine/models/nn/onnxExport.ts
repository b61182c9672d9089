// Writes a classifier's ONNX graph into `<dir>/onnx/` under the names @huggingface/transformers (transformers.js)
// looks for — `model.onnx` (float32) and `model_quantized.onnx` (int8) — which Optimum's
// `ORTModelForSequenceClassification.from_pretrained(dir, subfolder="onnx")` and ONNX Runtime load too. Every
// family's `exportOnnx` ends here, so the files, names and the int8 pass are the same for all of them.
import { join } from 'node:path';
import type { OnnxExportOptions } from '../../../protocol/model';
import { ensureFolder, writeFileAtomic } from '../../atomicWrite';
import type { OnnxModelSpec } from './onnxGraph';
import { quantizeDynamicInt8 } from './onnxQuantize';

export type { OnnxExportOptions } from '../../../protocol/model';

/** The subfolder of an exported Hugging Face folder that holds the ONNX files. */
export const ONNX_SUBFOLDER = 'onnx';
/** The float32 model, as transformers.js names it. */
export const ONNX_MODEL_FILE = 'model.onnx';
/** The int8 model (`dtype: 'q8'` in transformers.js), as transformers.js names it. */
export const ONNX_QUANTIZED_FILE = 'model_quantized.onnx';

/**
 * Writes `<dir>/onnx/model.onnx` and, with `quantize: 'int8'`, `<dir>/onnx/model_quantized.onnx` (each atomically).
 * The float32 graph is serialised before the int8 pass, which leaves it untouched.
 * @returns the absolute paths written, float32 first
 */
export async function writeOnnxFiles(dir: string, spec: OnnxModelSpec, options: OnnxExportOptions = {}): Promise<string[]> {
  const folder = join(dir, ONNX_SUBFOLDER);
  await ensureFolder(folder);
  const files = [join(folder, ONNX_MODEL_FILE)];
  await writeFileAtomic(files[0]!, spec.graph.toModel(spec.inputs, spec.outputs));
  if (options.quantize === 'int8') {
    files.push(join(folder, ONNX_QUANTIZED_FILE));
    await writeFileAtomic(files[1]!, quantizeDynamicInt8(spec.graph).graph.toModel(spec.inputs, spec.outputs));
  }
  return files;
}
