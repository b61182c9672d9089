// Builds each page's init data from a run folder. Kept free of vscode so the Chromium tests and the bench feed the
// pages exactly what the panel hosts send.
import type { CompareData, ConfusionData, EvalSplit, ExamplesData, ExampleRow } from '../../../webview-ui/shared/messages';
import { availableSplits, confusionFromPredictions, readPredictions, readRunRecord, type PredictionRecord } from './runFiles';

/**
 * The confusion matrix of a split: counted from its predictions file when present (so a clicked cell matches the
 * browser's filter exactly), else taken from the metrics recorded for it. Falls back to another split when the
 * asked one has nothing.
 */
export async function buildConfusionData(runDir: string, split: EvalSplit): Promise<ConfusionData> {
  const record = await readRunRecord(runDir);
  const withPredictions = await availableSplits(runDir);
  const splits = [...new Set<EvalSplit>([...withPredictions, ...(record.final ? ['validation' as const] : []), ...(record.test ? ['test' as const] : [])])];
  const chosen = splits.includes(split) || splits.length === 0 ? split : splits.includes('test') ? 'test' : splits[0];
  let confusion: number[][];
  if (withPredictions.includes(chosen)) {
    const { records } = await readPredictions(runDir, chosen, record.run.labels);
    confusion = confusionFromPredictions(records, record.run.labels.length);
  } else {
    confusion = (chosen === 'test' ? record.test : record.final)?.confusion ?? [];
  }
  return { run: record.run, split: chosen, splits, confusion };
}

/** The example browser's rows of a split, plus the records (with source positions) the host keeps for "open". */
export async function buildExamplesData(runDir: string, split: EvalSplit): Promise<{ data: ExamplesData; records: PredictionRecord[]; skipped: number }> {
  const record = await readRunRecord(runDir);
  const splits = await availableSplits(runDir);
  if (splits.length === 0) throw new Error(`Run ${record.run.runId} has no predictions yet (predictions/validation.jsonl or test.jsonl).`);
  const chosen = splits.includes(split) ? split : splits.includes('test') ? 'test' : splits[0];
  const { records, skipped } = await readPredictions(runDir, chosen, record.run.labels);
  const rows: ExampleRow[] = records.map((r, index) => ({
    index, text: r.text, gold: r.gold, predicted: r.predicted, confidence: r.confidence, loss: r.loss, hasSource: r.file !== null && r.line !== null, top: r.top,
  }));
  return { data: { run: record.run, split: chosen, splits, rows }, records, skipped };
}

/** Two or more runs side by side. */
export async function buildCompareData(runDirs: string[]): Promise<CompareData> {
  const runs = [];
  for (const dir of runDirs) {
    const r = await readRunRecord(dir);
    runs.push({ run: r.run, epochs: r.epochs, final: r.final, test: r.test });
  }
  return { runs };
}
