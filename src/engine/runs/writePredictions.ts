// predictions/<split>.jsonl: one line per example with its source, gold and predicted label, confidence,
// loss and the full probability vector (label order = the run's label map, `labels` in run.json).
import { exampleLabels, type Example } from '../data/example';
import { argMaxRow } from '../metrics/classificationMetrics';
import { writeFileAtomic } from '../atomicWrite';

/** One line of a predictions file. */
export interface PredictionLine {
  text: string;
  file: string;
  line: number;
  /** Multi-label: the gold labels joined by ", " (see `goldLabels`). */
  gold: string;
  /** Multi-label: the predicted labels joined by ", " (see `predictedLabels`). */
  predicted: string;
  /** Probability of the predicted class; multi-label: the highest label probability. */
  confidence: number;
  loss: number;
  probabilities: number[];
  /** Multi-label only: the gold labels, the labels at or above their threshold, and the differences. */
  goldLabels?: string[];
  predictedLabels?: string[];
  /** Gold labels not predicted. */
  missedLabels?: string[];
  /** Predicted labels that are not gold. */
  extraLabels?: string[];
}

/**
 * Writes the predictions of `examples` (probabilities row-major `[N × K]`) atomically to `path`. With
 * `thresholds` (multi-label), a label is predicted when its probability reaches its threshold.
 */
export async function writePredictions(path: string, examples: readonly Example[], probs: Float32Array, labels: readonly string[], goldIds: Int32Array, thresholds?: readonly number[]): Promise<void> {
  const k = labels.length;
  const lines: string[] = [];
  for (let i = 0; i < examples.length; i++) {
    const e = examples[i]!;
    if (thresholds) {
      lines.push(JSON.stringify(multiLabelLine(e, probs.subarray(i * k, (i + 1) * k), labels, thresholds)));
      continue;
    }
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

function multiLabelLine(e: Example, probs: Float32Array, labels: readonly string[], thresholds: readonly number[]): PredictionLine {
  const goldLabels = [...exampleLabels(e)];
  const predictedLabels = labels.filter((_, c) => probs[c]! >= thresholds[c]!);
  let loss = 0;
  labels.forEach((label, c) => {
    const p = probs[c]!;
    loss -= Math.log(Math.max(goldLabels.includes(label) ? p : 1 - p, 1e-12));
  });
  return {
    text: e.text,
    file: e.file,
    line: e.line,
    gold: goldLabels.join(', '),
    predicted: predictedLabels.join(', '),
    confidence: round(Math.max(0, ...probs)),
    loss: round(loss),
    probabilities: Array.from(probs, round),
    goldLabels,
    predictedLabels,
    missedLabels: goldLabels.filter((l) => !predictedLabels.includes(l)),
    extraLabels: predictedLabels.filter((l) => !goldLabels.includes(l)),
  };
}

// Six significant digits keep files small; they are for display and ranking, not for re-training.
function round(x: number): number {
  return Number(x.toPrecision(6));
}
