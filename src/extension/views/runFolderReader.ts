// Reads what the Runs tree shows from the runs folders on disk (run.json + the epoch lines of events.jsonl), so the
// tree survives window reloads without starting the engine; a `running` run whose owner process is gone reads as
// `interrupted`. The raw files are read by src/common/runFolder/runFolderFiles.ts, shared with the webviews.
// Layout: ../shared/DESIGN.md "Runs on disk".
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '../../protocol/runs';
import type { TrainConfig } from '../../protocol/train';
import type { EpochPoint } from '../../../webview-ui/shared/messages';
import { runStateOnDisk } from '../../common/runFolder/runOwner';
import { isJsonObject as isObject, parseEventLines, readEventsText, readJsonFile, uncheckedImportNote, type JsonObject as Json } from '../../common/runFolder/runFolderFiles';
import { runPaths } from '../../common/runFolder/runRecord';

/** One evaluation of a run as the tree shows it (epoch 0 = baseline before training); the webviews' shape. */
export type EpochSummary = EpochPoint;

/** A run folder as the Runs tree knows it: the engine's summary plus the config and per-epoch metrics. */
export interface RunRecord extends RunSummary {
  config: Partial<TrainConfig>;
  backend?: string;
  epochs: EpochSummary[];
  /** Test-set result of the best checkpoint, once the run completed. */
  test?: { accuracy: number; macroF1: number };
  /** Examples per split, once the dataset was loaded. */
  counts?: { train: number; validation: number; test: number };
  /** Which class weights the loss used (run.json `classWeights`), once training started. */
  classWeights?: string;
  /** True for a multi-label run (sigmoid outputs, per-label thresholds). */
  multiLabel?: boolean;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * Every readable run under the given runs folders, newest first. Folders without a parseable run.json are
 * skipped (a run being created, or foreign folders); a missing runs folder yields nothing.
 */
export async function readRunsFolders(runsDirs: readonly string[]): Promise<RunRecord[]> {
  const all: RunRecord[] = [];
  for (const runsDir of runsDirs) {
    let names: string[];
    try {
      names = (await readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      continue;
    }
    const runs = await Promise.all(names.map((name) => readRunFolder(join(runsDir, name))));
    for (const r of runs) if (r) all.push(r);
  }
  return all.sort((a, b) => (b.createdAt ?? b.runId).localeCompare(a.createdAt ?? a.runId));
}

/** One run folder, or undefined when its run.json is missing or not a run record. */
export async function readRunFolder(runDir: string): Promise<RunRecord | undefined> {
  let runJson: unknown;
  try {
    runJson = await readJsonFile(runPaths(runDir).runJson);
  } catch {
    return undefined;
  }
  if (!isObject(runJson)) return undefined;
  return toRunRecord(runDir, runJson, parseEpochs(await readEventsText(runDir)));
}

/** Builds a record from a parsed run.json; tolerant of missing fields because older engines wrote fewer. */
export function toRunRecord(runDir: string, runJson: Json, epochs: EpochSummary[]): RunRecord | undefined {
  const onDisk = runStateOnDisk(runJson);
  if (!onDisk) return undefined;
  const { state, deadOwnerPid } = onDisk;
  const config = isObject(runJson.config) ? (runJson.config as Partial<TrainConfig>) : {};
  const runId = str(runJson.runId) ?? str(runJson.id) ?? runDir.split(/[\\/]/).filter(Boolean).pop() ?? runDir;
  const best = bestEpoch(epochs);
  // run.json keeps a summary of the best epoch too: used when events.jsonl is missing.
  const saved = isObject(runJson.best) ? runJson.best : undefined;
  const backend = isObject(runJson.backend) ? str(runJson.backend.name) : str(runJson.backend);
  const test = isObject(runJson.test) ? runJson.test : undefined;
  const dataset = isObject(runJson.dataset) && isObject(runJson.dataset.counts) ? runJson.dataset.counts : undefined;
  return {
    runId,
    runDir,
    state,
    dataset: str(config.dataset),
    model: str(config.model),
    mode: str(config.mode),
    createdAt: str(runJson.createdAt),
    message: deadOwnerPid !== undefined ? `the process that trained it (${deadOwnerPid}) has stopped` : str(runJson.editorMessage) ?? str(runJson.message) ?? str(runJson.error) ?? uncheckedImportNote(runJson),
    bestAccuracy: best?.accuracy ?? num(saved?.validationAccuracy),
    bestMacroF1: best?.macroF1 ?? num(saved?.validationMacroF1),
    config,
    backend,
    epochs,
    test: test && num(test.accuracy) !== undefined ? { accuracy: num(test.accuracy) as number, macroF1: num(test.macroF1) ?? NaN } : undefined,
    counts: dataset ? { train: num(dataset.train) ?? 0, validation: num(dataset.validation) ?? 0, test: num(dataset.test) ?? 0 } : undefined,
    classWeights: str(runJson.classWeights),
    multiLabel: runJson.problemType === 'multi_label_classification',
  };
}

/** The best epoch: the last one flagged `isBest` (the engine restores it), else the highest accuracy. */
export function bestEpoch(epochs: readonly EpochSummary[]): EpochSummary | undefined {
  const flagged = epochs.filter((e) => e.isBest && e.epoch > 0);
  if (flagged.length) return flagged[flagged.length - 1];
  const trained = epochs.filter((e) => e.epoch > 0);
  return trained.reduce<EpochSummary | undefined>((b, e) => (!b || e.accuracy > b.accuracy ? e : b), undefined);
}

/** The epoch lines of events.jsonl (bare events or `{time, event}` wrappers); a torn last line is skipped. */
export function parseEpochs(eventsJsonl: string): EpochSummary[] {
  const byEpoch = new Map<number, EpochSummary>();
  // Most lines are progress events: only parse the ones that can be epoch reports.
  for (const e of parseEventLines(eventsJsonl, (line) => line.includes('"epoch"') && line.includes('validation'))) {
    const summary = e.type === 'epoch' ? toEpochSummary(e) : undefined;
    // A resumed run re-evaluates an epoch; the later line wins.
    if (summary) byEpoch.set(summary.epoch, summary);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** Reads an `EpochReport`-shaped object (a `run/epoch` notification or an events.jsonl line). */
export function toEpochSummary(e: Json): EpochSummary | undefined {
  const epoch = num(e.epoch);
  const validation = isObject(e.validation) ? e.validation : undefined;
  if (epoch === undefined || !validation) return undefined;
  return {
    epoch,
    trainLoss: num(e.trainLoss) ?? null,
    validationLoss: num(validation.loss) ?? NaN,
    accuracy: num(validation.accuracy) ?? NaN,
    macroF1: num(validation.macroF1) ?? NaN,
    isBest: e.isBest === true,
  };
}
