// Builds each page's init data from a run folder. Kept free of vscode so the Chromium tests and the bench feed the
// pages exactly what the panel hosts send.
import type { CompareData, ConfusionData, EvalSplit, ExampleFilter, ExamplesData, ExampleRow, LabelConfusion, LabelOutcome } from '../../../webview-ui/shared/messages';
import { availableSplits, confusionFromPredictions, labelConfusionFromPredictions, readPredictions, readRunRecord, type PredictionRecord } from './runFiles';

/**
 * The confusion matrix of a split: counted from its predictions file when present (so a clicked cell matches the
 * browser's filter exactly), else taken from the metrics recorded for it. Falls back to another split when the
 * asked one has nothing. A multi-label run gets each label's 2×2 confusion (`labelConfusion`) instead.
 */
export async function buildConfusionData(runDir: string, split: EvalSplit): Promise<ConfusionData> {
  const record = await readRunRecord(runDir);
  const withPredictions = await availableSplits(runDir);
  const splits = [...new Set<EvalSplit>([...withPredictions, ...(record.final ? ['validation' as const] : []), ...(record.test ? ['test' as const] : [])])];
  const chosen = splits.includes(split) || splits.length === 0 ? split : splits.includes('test') ? 'test' : splits[0];
  const k = record.run.labels.length;
  const recorded = chosen === 'test' ? record.test : record.final;
  const records = withPredictions.includes(chosen) ? (await readPredictions(runDir, chosen, record.run.labels)).records : null;
  if (record.run.multiLabel) {
    const labelConfusion: LabelConfusion[] = records ? labelConfusionFromPredictions(records, k) : recorded?.multiLabel?.labelConfusion ?? [];
    return { run: record.run, split: chosen, splits, confusion: [], labelConfusion };
  }
  const confusion = records ? confusionFromPredictions(records, k) : recorded?.confusion ?? [];
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
    ...(r.goldLabels && r.predictedLabels ? { goldLabels: r.goldLabels, predictedLabels: r.predictedLabels } : {}),
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

/** The browser filter of one cell of a label's 2×2 grid: given and predicted, wrongly predicted (extra), missed. */
export function labelOutcomeFilter(label: number, outcome: LabelOutcome): Partial<ExampleFilter> {
  const none = { gold: null, predicted: null, missed: null, extra: null, correctness: 'all' as const };
  switch (outcome) {
    case 'tp': return { ...none, gold: label, predicted: label };
    case 'fp': return { ...none, extra: label };
    case 'fn': return { ...none, missed: label };
    default: { const unhandled: never = outcome; return unhandled; }
  }
}
