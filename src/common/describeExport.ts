// The one sentence that tells a user what an export wrote and what loads it, for the CLI and the extension alike:
// an n-gram export is not a Hugging Face folder, and must not be described as one; ONNX files are named with what
// runs them.
import type { ModelExportResult } from '../protocol/model';
import type { MessageSurface } from './optionWording';

/**
 * "Exported … to <dir> (n files): <what loads it>." — per `result.format`, plus the ONNX files when there are any.
 * @param surface who reads it: the CLI is told its `--model` flag loads an n-gram export, VS Code its command.
 */
export function describeExport(result: ModelExportResult, runId?: string, surface: MessageSurface = 'cli'): string {
  const what = runId ? `run ${runId}` : 'the model';
  const count = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
  if (result.format === 'ngram') {
    return `Exported ${what} as an n-gram model (${result.files.join(', ')}) to ${result.outDir}. Classifier Workbench loads it (${surface === 'cli' ? '--model <folder>, or Set active model in VS Code' : 'Set active model'}); Python transformers cannot: fine-tune a transformer model for that.${describeKept(result.kept)}`;
  }
  return `Exported ${what} as a Hugging Face model folder to ${result.outDir} (${count}). Load it in Python with AutoModelForSequenceClassification.from_pretrained.${describeOnnx(result.files)}${describeKept(result.kept)}`;
}

/** " Left as they were: README.md, .git." — the folder's other entries, which an export never touches. */
function describeKept(kept: readonly string[] | undefined): string {
  if (!kept?.length) return '';
  return ` Left as ${kept.length === 1 ? 'it was' : 'they were'}: ${kept.slice(0, 5).join(', ')}${kept.length > 5 ? `, … (${kept.length})` : ''}.`;
}

/**
 * " ONNX: onnx/model.onnx (float32) …, for …" — empty when the export has no ONNX file. transformers.js reads only
 * `tokenizer.json`: a folder whose tokenizer is `vocab.txt` alone is said to need one, and how to get it.
 */
function describeOnnx(files: readonly string[]): string {
  const onnx = files.filter((f) => f.endsWith('.onnx'));
  if (onnx.length === 0) return '';
  const named = onnx.map((f) => `${f} (${f.endsWith('_quantized.onnx') ? 'int8' : 'float32'})`).join(' and ');
  const int8 = onnx.some((f) => f.endsWith('_quantized.onnx'));
  const optimum = `Optimum's ORTModelForSequenceClassification.from_pretrained(folder, subfolder="onnx"${int8 ? ', file_name=…' : ''})`;
  if (!files.includes('tokenizer.json')) {
    return ` ONNX: ${named}, for ONNX Runtime and ${optimum}; transformers.js also needs a tokenizer.json, which this folder lacks (AutoTokenizer.from_pretrained(folder).save_pretrained(folder) in Python writes one).`;
  }
  return ` ONNX: ${named}, for ONNX Runtime, transformers.js${int8 ? ' (dtype "q8" picks the int8 file)' : ''} and ${optimum}.`;
}
