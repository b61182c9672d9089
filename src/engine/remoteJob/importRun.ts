// `runs import`: a run folder trained elsewhere (an exported job's train.py, or a run copied from another machine)
// becomes a run of this machine's runs folder, after proving it was trained on this machine's data: its dataset
// fingerprint must be the fingerprint of the splits `loadRunData` makes here from the same file and options.
import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EngineErrorCodes } from '../../protocol/errors';
import type { ClassificationMetrics } from '../../protocol/metrics';
import { runPaths, type RunMetricsFile, type RunRecord } from '../../common/runFolder/runRecord';
import { isOwnerAlive } from '../../common/runFolder/runOwner';
import { EngineError } from '../errors';
import type { DatasetSplits, SplitName } from '../data/example';
import { readFileCapped } from '../boundedFile';
import { writeFileAtomic, writeJsonAtomic } from '../atomicWrite';
import { readRun } from '../runs/runStore';
import { renderReport } from '../report/renderReport';
import { loadRunData } from '../train/loadRunData';
import { claimRunDir, defaultRunsDir } from '../train/runId';

/** A predictions file above this is not a run's (a 1M-example split with 100 labels is ~1 GB of JSON). */
const MAX_PREDICTIONS_BYTES = 2 * 1024 ** 3;

export interface ImportRunOptions {
  /** The runs folder to import into (default: the dataset's, `<dataset folder>/.classifier-workbench/runs`). */
  runsDir?: string;
  /** The data file the run trained on, on this machine (default: the path run.json records). */
  dataset?: string;
}

export interface ImportedRun {
  runId: string;
  runDir: string;
  /** True when the folder was already in the runs folder (dropped there) and was checked where it is. */
  inPlace: boolean;
  fingerprint: string;
}

/** VS Code's way to retry: "Import run folder…" reads the data where run.json says it was (it has no --dataset). */
const IMPORT_AGAIN = 'run "Import run folder…" again';

/**
 * Checks a result folder against the data here and makes it a run of the runs folder: copied into it under a free
 * run id (or checked in place when it is already there), run.json stamped `imported`, report.md rendered by the
 * engine. The source folder is never changed when it is copied.
 * @throws EngineError (runNotFound) when `sourceDir` is not a run folder; (runState) while its run.json says it is
 * still training; (invalidDataset) when the data is not here, or its fingerprint differs from the run's (naming both
 * fingerprints, files and split sizes), or a predictions file does not match the data's split.
 */
export async function importRunFolder(sourceDir: string, options: ImportRunOptions = {}): Promise<ImportedRun> {
  const source = resolve(sourceDir);
  const record = await readRun(source);
  const runJson = runPaths(source).runJson;
  if ((record.state === 'running' || record.state === 'queued') && (!record.owner || isOwnerAlive(record.owner))) {
    const where = record.owner ? ` on ${record.owner.host} (process ${record.owner.pid})` : '';
    throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} is still ${record.state}${where}: import it once it has finished (its run.json then says completed)`, { file: runJson });
  }
  if (!record.dataset?.fingerprint) throw new EngineError(EngineErrorCodes.invalidDataset, 'run.json records no dataset fingerprint, so these results cannot be checked against the data here', { file: runJson });
  const datasetPath = resolve(options.dataset ?? record.config.dataset);
  if (!(await stat(datasetPath).catch(() => undefined))) {
    throw EngineError.worded(EngineErrorCodes.invalidDataset, (s) => `the data this run trained on is not on this machine at ${datasetPath}: ${s === 'cli'
      ? 'give its path (runs import <folder> --dataset <file.jsonl>)'
      : `put the data file back at that path, then ${IMPORT_AGAIN}`}`, { file: runJson });
  }
  const config = { ...record.config, dataset: datasetPath };
  const { splits } = await loadRunData(config);
  const recorded = record.dataset;
  if (splits.fingerprint !== recorded.fingerprint) {
    const counts = (c: Record<SplitName, number>) => `${c.train}/${c.validation}/${c.test} train/validation/test lines`;
    throw EngineError.worded(
      EngineErrorCodes.invalidDataset,
      (s) => `these results were trained on different data: the run's data ${recorded.path} (${counts(recorded.counts)}) has fingerprint ${recorded.fingerprint.slice(0, 16)}…, but ${datasetPath} here (${counts({ train: splits.train.length, validation: splits.validation.length, test: splits.test.length })}) gives ${splits.fingerprint.slice(0, 16)}…; ${s === 'cli'
        ? 'import them with the data file they were trained on (--dataset), unchanged'
        : `put the data file they were trained on, unchanged, at ${datasetPath}, then ${IMPORT_AGAIN}`}`,
      { file: datasetPath },
    );
  }
  const probs = await readPredictionProbs(source, record, splits);

  const runsDir = resolve(options.runsDir ?? defaultRunsDir(datasetPath));
  const inPlace = dirname(source) === runsDir;
  const { runId, runDir } = inPlace ? { runId: record.runId, runDir: source } : await claimRunDir(runsDir, record.runId);
  // run.json is written last: until then the folder has none, and every reader skips it as "not a run (yet)".
  if (!inPlace) await copyTree(source, runDir, (rel) => rel !== 'run.json');
  const imported: RunRecord = {
    ...record, runId, config, dataset: { ...recorded, path: datasetPath },
    imported: { from: source, at: new Date().toISOString(), fingerprint: splits.fingerprint },
  };
  delete imported.owner;
  const metrics = (await readJson(runPaths(runDir).metrics)) as RunMetricsFile | undefined;
  if (record.state === 'completed' && metrics && probs) {
    await writeFileAtomic(runPaths(runDir).report, renderReport({ record: imported, data: splits, metrics: metrics as RunMetricsFile & { epochs: { epoch: number; trainLoss: number | null; validation: ClassificationMetrics; isBest: boolean }[] }, validationProbs: probs.validation, testProbs: probs.test }));
  }
  await writeJsonAtomic(runPaths(runDir).runJson, imported);
  return { runId, runDir, inPlace, fingerprint: splits.fingerprint };
}

/**
 * The probabilities of predictions/{validation,test}.jsonl, `[N × K]` row-major, after checking that line i is the
 * split's example i (same text); undefined for a run that wrote none (not completed).
 * @throws EngineError (invalidDataset) naming the file and line that does not match.
 */
async function readPredictionProbs(runDir: string, record: RunRecord, splits: DatasetSplits): Promise<{ validation: Float32Array; test: Float32Array } | undefined> {
  if (record.state !== 'completed') return undefined;
  const k = splits.labels.length;
  const read = async (split: 'validation' | 'test'): Promise<Float32Array> => {
    const file = runPaths(runDir).predictions(split);
    const examples = splits[split];
    if (examples.length === 0) return new Float32Array(0);
    const text = (await readFileCapped(file, MAX_PREDICTIONS_BYTES, 'predictions file', EngineErrorCodes.invalidDataset)).toString('utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length !== examples.length) throw new EngineError(EngineErrorCodes.invalidDataset, `${lines.length} predictions for the ${examples.length} examples of the ${split} split: the file is incomplete or from other data`, { file });
    const probs = new Float32Array(examples.length * k);
    lines.forEach((line, i) => {
      let row: { text?: unknown; probabilities?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch {
        throw new EngineError(EngineErrorCodes.invalidDataset, 'not valid JSON', { file, line: i + 1 });
      }
      const p = row.probabilities;
      if (row.text !== examples[i]!.text || !Array.isArray(p) || p.length !== k || !p.every((x) => typeof x === 'number' && x >= 0 && x <= 1)) {
        throw new EngineError(EngineErrorCodes.invalidDataset, `not the ${split} split's example ${i + 1} with ${k} probabilities in [0, 1]`, { file, line: i + 1 });
      }
      probs.set(p as number[], i * k);
    });
    return probs;
  };
  return { validation: await read('validation'), test: await read('test') };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Copies the regular files and folders of `from` into `to` (links and other kinds are not followed or copied). */
async function copyTree(from: string, to: string, keep: (relative: string) => boolean, prefix = ''): Promise<void> {
  await mkdir(join(to, prefix), { recursive: true });
  for (const entry of await readdir(join(from, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (!keep(rel)) continue;
    if (entry.isDirectory()) await copyTree(from, to, keep, rel);
    else if (entry.isFile()) await copyFile(join(from, rel), join(to, rel));
  }
}
