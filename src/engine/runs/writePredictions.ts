// predictions/<split>.jsonl: one line per example with its source, gold and predicted label, confidence,
// loss and the full probability vector (label order = the run's label map, `labels` in run.json).
import type { Example } from '../data/example';
import { argMaxRow } from '../metrics/classificationMetrics';
import { writeFileAtomic } from './atomicWrite';

/** One line of a predictions file. */
export interface PredictionLine {
  text: string;
  file: string;
  line: number;
  gold: string;
  predicted: string;
  confidence: number;
  loss: number;
  probabilities: number[];
}

/** Writes the predictions of `examples` (probabilities row-major `[N × K]`) atomically to `path`. */
export async function writePredictions(path: string, examples: readonly Example[], probs: Float32Array, labels: readonly string[], goldIds: Int32Array): Promise<void> {
  const k = labels.length;
  const lines: string[] = [];
  for (let i = 0; i < examples.length; i++) {
    const e = examples[i]!;
    const predicted = argMaxRow(probs, i * k, k);
    const row: PredictionLine = {
      text: e.text,
      file: e.file,
      line: e.line,
      gold: e.label,
      predicted: labels[predicted]!,
      confidence: round(probs[i * k + predicted]!),
      loss: round(-Math.log(Math.max(probs[i * k + goldIds[i]!]!, 1e-12))),
      probabilities: Array.from(probs.subarray(i * k, (i + 1) * k), round),
    };
    lines.push(JSON.stringify(row));
  }
  await writeFileAtomic(path, lines.length ? `${lines.join('\n')}\n` : '');
}

// Six significant digits keep files small; they are for display and ranking, not for re-training.
function round(x: number): number {
  return Number(x.toPrecision(6));
}
