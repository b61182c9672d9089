// The one sentence that tells a user what an export wrote and what loads it, for the CLI and the extension alike:
// an n-gram export is not a Hugging Face folder, and must not be described as one.
import type { ModelExportResult } from '../protocol/model';

/** "Exported … to <dir> (n files): <what loads it>." — per `result.format`. */
export function describeExport(result: ModelExportResult, runId?: string): string {
  const what = runId ? `run ${runId}` : 'the model';
  const count = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
  if (result.format === 'ngram') {
    return `Exported ${what} as an n-gram model (${result.files.join(', ')}) to ${result.outDir}. Classifier Workbench loads it (Set active model, or --model with the CLI); Python transformers cannot: fine-tune a transformer model for that.`;
  }
  return `Exported ${what} as a Hugging Face model folder to ${result.outDir} (${count}). Load it in Python with AutoModelForSequenceClassification.from_pretrained.`;
}
