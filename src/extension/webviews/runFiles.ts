// Reads a run folder (run.json, events.jsonl, metrics.json, predictions/*.jsonl) into the shapes the webview pages show.
// Plain Node (no vscode import) so it is unit-tested directly; tolerant of missing files because a running run has
// only some of them yet (the raw files are read by src/common/runFolder/runFolderFiles.ts, shared with the Runs tree). Layout: ../shared/DESIGN.md "Runs on disk"; record shapes: src/protocol/train.ts, metrics.ts.
import type { CalibrationReport } from '../../protocol/calibration';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ClassificationMetrics } from '../../protocol/metrics';
import type { RunStateName } from '../../protocol/train';
import type { DashboardData, EpochPoint, EvalSplit, LabelConfusion, LiveStatus, RunSummary, StepPoint } from '../../../webview-ui/shared/messages';
import { isJsonObject as isObject, parseEventLines, readEventsText, readJsonFile, type JsonObject as Json } from '../../common/runFolder/runFolderFiles';
import { runPaths } from '../../common/runFolder/runRecord';
import { pathExists } from '../pathExists';
import { runStateOnDisk } from '../../common/runFolder/runOwner';

/** One line of predictions/<split>.jsonl after normalisation (label ids resolved against the run's labels). */
export interface PredictionRecord {
  text: string;
  file: string | null;
  /** 1-based line in `file`. */
  line: number | null;
  gold: number;
  predicted: number;
  confidence: number;
  loss: number;
  /** Up to 3 most probable classes [label id, probability], best first. */
  top: Array<[number, number]>;
  /** Multi-label lines: the given and predicted label ids (then `gold` and `predicted` are −1). */
  goldLabels?: number[];
  predictedLabels?: number[];
}

/** Everything the dashboard and comparison need from one run folder. */
export type RunRecord = DashboardData;

const HIDDEN_CONFIG_KEYS = new Set(['dataset', 'model', 'mode', 'runsDir', 'textField', 'labelField']);

/** True when `v` has the fields of a ClassificationMetrics record. */
function isMetrics(v: unknown): v is ClassificationMetrics {
  return isObject(v) && Array.isArray(v.perClass) && Array.isArray(v.confusion) && typeof v.accuracy === 'number';
}

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function printable(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Maps a validation EpochReport-like record to a curve point. */
export function toEpochPoint(report: Json): EpochPoint | null {
  const validation = report.validation;
  if (!isMetrics(validation)) return null;
  return {
    epoch: num(report.epoch),
    trainLoss: typeof report.trainLoss === 'number' ? report.trainLoss : null,
    validationLoss: validation.loss,
    accuracy: validation.accuracy,
    macroF1: validation.macroF1,
    isBest: report.isBest === true,
  };
}

/**
 * Reads a run folder into dashboard data: summary, step and epoch curves, baseline, best validation and test metrics.
 * @param runDir absolute path of `<runs>/<run-id>/`
 * @throws Error when run.json is missing or unreadable (the folder is not a run).
 */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const paths = runPaths(runDir);
  const runJson = await readJsonFile(paths.runJson);
  if (!isObject(runJson)) throw new Error(`${paths.runJson} is missing or not a JSON object; is this a run folder?`);
  const metricsJson = await readJsonFile(paths.metrics);
  const events = parseEventLines(await readEventsText(runDir));

  const steps: StepPoint[] = [];
  const epochsByNumber = new Map<number, EpochPoint>();
  const metricsByEpoch = new Map<number, ClassificationMetrics>();
  let live: LiveStatus | null = null;
  let test: ClassificationMetrics | null = null;
  let state: RunStateName = runStateOnDisk(runJson)?.state ?? 'completed';
  for (const e of events) {
    if (e.type === 'progress') {
      steps.push({ step: num(e.step), epoch: num(e.epoch), loss: num(e.loss, NaN), learningRate: num(e.learningRate) });
      live = { epoch: num(e.epoch), epochs: num(e.epochs), step: num(e.step), totalSteps: num(e.totalSteps),
        samplesPerSecond: num(e.samplesPerSecond), etaSeconds: num(e.etaSeconds) };
    } else if (e.type === 'epoch') {
      const point = toEpochPoint(e);
      if (point) { epochsByNumber.set(point.epoch, point); metricsByEpoch.set(point.epoch, e.validation as ClassificationMetrics); }
    } else if (e.type === 'test' && isMetrics(e.test)) {
      test = e.test;
    }
  }

  // metrics.json is the final word when present: {baseline?, baselineTest?, best?|validation?, test?, epochs?}
  // (engine: src/engine/train/runTraining.ts RunMetricsFile).
  let baseline: ClassificationMetrics | null = metricsByEpoch.get(0) ?? null;
  let baselineTest: ClassificationMetrics | null = null;
  let final: ClassificationMetrics | null = null;
  if (isObject(metricsJson)) {
    if (isMetrics(metricsJson.baseline)) baseline = metricsJson.baseline;
    if (isMetrics(metricsJson.baselineTest)) baselineTest = metricsJson.baselineTest;
    for (const key of ['best', 'validation', 'final']) if (!final && isMetrics(metricsJson[key])) final = metricsJson[key] as ClassificationMetrics;
    if (isMetrics(metricsJson.test)) test = metricsJson.test;
    if (Array.isArray(metricsJson.epochs)) {
      for (const r of metricsJson.epochs) {
        const point = isObject(r) ? toEpochPoint(r) : null;
        if (point && !epochsByNumber.has(point.epoch)) epochsByNumber.set(point.epoch, point);
        if (point && isObject(r) && !metricsByEpoch.has(point.epoch)) metricsByEpoch.set(point.epoch, r.validation as ClassificationMetrics);
      }
    }
  }
  const epochs = [...epochsByNumber.values()].sort((a, b) => a.epoch - b.epoch);
  // A resumed run logs the steps after its checkpoint again: keep the latest value per step, in step order.
  const stepsByNumber = new Map(steps.map((s) => [s.step, s]));
  const orderedSteps = [...stepsByNumber.values()].sort((a, b) => a.step - b.step);
  if (!final) {
    const best = [...epochs].reverse().find((p) => p.isBest && p.epoch > 0) ?? epochs.filter((p) => p.epoch > 0).at(-1);
    final = best ? metricsByEpoch.get(best.epoch) ?? null : null;
  }
  if (state !== 'running') live = null;
  if (typeof runJson.state !== 'string') state = test ? 'completed' : state;

  const run = await summariseRun(runDir, runJson, final ?? test ?? baseline);
  // Checked only for its shape's anchors: the page draws what is there and skips what is not.
  const calibration = isObject(metricsJson) && isObject(metricsJson.calibration) && isObject(metricsJson.calibration.scaling) && Array.isArray(metricsJson.calibration.coverage)
    ? metricsJson.calibration as unknown as CalibrationReport : null;
  const uncertaintyThreshold = typeof runJson.uncertaintyThreshold === 'number' ? runJson.uncertaintyThreshold : null;
  const config = isObject(runJson.config) ? runJson.config : {};
  const configuredEpochs = typeof config.epochs === 'number' ? config.epochs : null;
  const trained = epochs.at(-1)?.epoch ?? 0;
  const earlyStop = isObject(metricsJson) && metricsJson.stoppedEarly === true && configuredEpochs !== null
    ? { epoch: trained, epochs: configuredEpochs, patience: typeof config.patience === 'number' ? config.patience : 0, monitored: run.multiLabel ? 'validation macro F1' : 'validation loss' }
    : null;
  const perClass = runJson.uncertaintyThresholds;
  const uncertaintyThresholds = Array.isArray(perClass) && perClass.every((t) => typeof t === 'number') ? perClass as number[] : null;
  return { run, earlyStop, configuredEpochs, steps: orderedSteps, epochs, live, baseline, final, test, baselineTest, calibration, uncertaintyThreshold, uncertaintyThresholds };
}

/** "110.1M parameters · 110.1M trained · ~3.4 GB estimated training memory" from run.json's `model` record. */
export function describeModelSize(model: unknown): string | null {
  if (!isObject(model) || typeof model.parameters !== 'number') return null;
  const m = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n.toLocaleString('en-US'));
  const parts = [`${m(model.parameters)} parameters`];
  if (typeof model.trainableParameters === 'number') parts.push(`${m(model.trainableParameters)} trained`);
  const memory = isObject(model.memory) && typeof model.memory.estimatedBytes === 'number' ? model.memory.estimatedBytes : undefined;
  if (memory !== undefined) parts.push(`~${(memory / 1e9).toFixed(1)} GB estimated training memory`);
  return parts.join(' · ');
}

async function summariseRun(runDir: string, runJson: Json, anyMetrics: ClassificationMetrics | null): Promise<RunSummary> {
  const onDisk = runStateOnDisk(runJson);
  const config = isObject(runJson.config) ? runJson.config : {};
  const runId = typeof runJson.id === 'string' ? runJson.id : typeof runJson.runId === 'string' ? runJson.runId : basename(runDir);
  const labelSource = Array.isArray(runJson.labels) ? runJson.labels : Array.isArray(runJson.labelNames) ? runJson.labelNames : null;
  const labels = labelSource ? labelSource.map(printable) : anyMetrics ? anyMetrics.perClass.map((c) => c.label) : [];
  const backendField = runJson.backend;
  const backend = typeof backendField === 'string' ? backendField : isObject(backendField) && typeof backendField.name === 'string' ? backendField.name : null;
  const model = typeof config.model === 'string' ? config.model : typeof runJson.model === 'string' ? runJson.model : 'unknown model';
  const dataset = typeof config.dataset === 'string' ? config.dataset : typeof runJson.dataset === 'string' ? runJson.dataset : '';
  const multiLabel = runJson.problemType === 'multi_label_classification' || anyMetrics?.multiLabel !== undefined;
  const thresholds = Array.isArray(runJson.thresholds) && runJson.thresholds.every((t) => typeof t === 'number') ? runJson.thresholds as number[]
    : anyMetrics?.multiLabel?.thresholds;
  const createdAt = typeof runJson.createdAt === 'string' ? runJson.createdAt : typeof runJson.startedAt === 'string' ? runJson.startedAt : null;
  const hyperparameters: Array<[string, string]> = Object.entries(config)
    .filter(([k, v]) => !HIDDEN_CONFIG_KEYS.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => [k, printable(v)]);
  return {
    runId, runDir,
    // "emotion/train.jsonl" says more than "train.jsonl", which most datasets are called.
    title: `${basename(model)} · ${dataset ? `${basename(dirname(dataset))}/${basename(dataset)}` : 'dataset'} · ${runId}`,
    state: onDisk?.state ?? 'completed',
    message: onDisk?.deadOwnerPid !== undefined ? `the process that trained it (${onDisk.deadOwnerPid}) has stopped` : typeof runJson.editorMessage === 'string' ? runJson.editorMessage : typeof runJson.message === 'string' ? runJson.message : null,
    backend, modelSize: describeModelSize(runJson.model), model, mode: typeof config.mode === 'string' ? config.mode : '', dataset, createdAt, labels, hyperparameters,
    hasReport: await pathExists(join(runDir, 'report.md')),
    hasModel: await pathExists(join(runDir, 'model')),
    ...(multiLabel ? { multiLabel, ...(thresholds && thresholds.length === labels.length ? { thresholds } : {}) } : {}),
  };
}

/** Path of the predictions file of a split. */
export function predictionsPath(runDir: string, split: EvalSplit): string {
  return join(runDir, 'predictions', `${split}.jsonl`);
}

/** Splits of the run that have a predictions file. */
export async function availableSplits(runDir: string): Promise<EvalSplit[]> {
  const splits: EvalSplit[] = [];
  for (const split of ['validation', 'test'] as const) if (await pathExists(predictionsPath(runDir, split))) splits.push(split);
  return splits;
}

function labelId(v: unknown, labels: string[]): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < labels.length) return v;
  if (typeof v === 'string') {
    const i = labels.indexOf(v);
    if (i >= 0) return i;
  }
  return -1;
}

/** Label ids of a multi-label line's list (`goldLabels`/`predictedLabels`); null when it is not a list of known labels. */
function labelIds(v: unknown, labels: string[]): number[] | null {
  if (!Array.isArray(v)) return null;
  const ids = v.map((l) => labelId(l, labels));
  return ids.every((i) => i >= 0) ? ids : null;
}

/**
 * Reads predictions/<split>.jsonl; gold/predicted may be label names or ids and are returned as ids into `labels`.
 * A multi-label line (engine: src/engine/runs/writePredictions.ts) gives its label sets in `goldLabels` and
 * `predictedLabels`; its loss is the one written (summed binary cross-entropy).
 * Lines that cannot be parsed or name unknown labels are skipped (and counted) rather than failing the view.
 */
export async function readPredictions(runDir: string, split: EvalSplit, labels: string[]): Promise<{ records: PredictionRecord[]; skipped: number }> {
  const text = await readFile(predictionsPath(runDir, split), 'utf8');
  const records: PredictionRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let v: unknown;
    try { v = JSON.parse(line); } catch { skipped++; continue; }
    if (!isObject(v)) { skipped++; continue; }
    const probs = Array.isArray(v.probabilities) ? v.probabilities : null;
    const source = {
      text: typeof v.text === 'string' ? v.text : printable(v.text),
      file: typeof v.file === 'string' ? v.file : null,
      line: typeof v.line === 'number' && Number.isInteger(v.line) && v.line > 0 ? v.line : null,
      top: probs && probs.length === labels.length ? topClasses(probs) : [],
    };
    if (v.goldLabels !== undefined || v.predictedLabels !== undefined) {
      const goldLabels = labelIds(v.goldLabels, labels);
      const predictedLabels = labelIds(v.predictedLabels, labels);
      if (!goldLabels || !predictedLabels) { skipped++; continue; }
      records.push({ ...source, gold: -1, predicted: -1, goldLabels, predictedLabels,
        confidence: typeof v.confidence === 'number' ? v.confidence : Math.max(0, ...(probs ?? []).map((p) => num(p))), loss: num(v.loss) });
      continue;
    }
    const gold = labelId(v.gold, labels);
    const predicted = labelId(v.predicted, labels);
    if (gold < 0 || predicted < 0) { skipped++; continue; }
    const confidence = typeof v.confidence === 'number' ? v.confidence : num(probs?.[predicted]);
    const goldProb = num(probs?.[gold], NaN);
    const loss = typeof v.loss === 'number' ? v.loss : Number.isFinite(goldProb) ? -Math.log(Math.max(goldProb, 1e-12)) : 0;
    records.push({ ...source, gold, predicted, confidence, loss });
  }
  return { records, skipped };
}

/** The 3 largest entries of a probability vector as [index, probability], largest first. */
function topClasses(probs: unknown[]): Array<[number, number]> {
  const top: Array<[number, number]> = [];
  probs.forEach((p, i) => {
    if (typeof p !== 'number') return;
    if (top.length < 3 || p > top[top.length - 1][1]) {
      top.push([i, p]);
      top.sort((a, b) => b[1] - a[1]);
      if (top.length > 3) top.pop();
    }
  });
  return top;
}

/** Confusion counts [gold][predicted] built from predictions (used when metrics.json lacks the split). */
export function confusionFromPredictions(records: PredictionRecord[], numLabels: number): number[][] {
  const m = Array.from({ length: numLabels }, () => new Array<number>(numLabels).fill(0));
  for (const r of records) if (r.gold >= 0 && r.predicted >= 0) m[r.gold][r.predicted]++;
  return m;
}

/**
 * Per-label `[tn, fp, fn, tp]` counted from multi-label predictions (the same order as metrics.json
 * `multiLabel.labelConfusion`); records without label sets are left out.
 */
export function labelConfusionFromPredictions(records: PredictionRecord[], numLabels: number): LabelConfusion[] {
  const m = Array.from({ length: numLabels }, (): LabelConfusion => [0, 0, 0, 0]);
  for (const r of records) {
    if (!r.goldLabels || !r.predictedLabels) continue;
    for (let l = 0; l < numLabels; l++) {
      const given = r.goldLabels.includes(l);
      const predicted = r.predictedLabels.includes(l);
      m[l][given ? (predicted ? 3 : 2) : predicted ? 1 : 0]++;
    }
  }
  return m;
}
