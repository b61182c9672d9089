// Runs on disk: read, list, update, delete run folders and mark runs that died as interrupted.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { RunSummary } from '../../protocol/runs';
import type { RunStateName } from '../../protocol/train';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { writeJsonAtomic } from '../atomicWrite';
import { runPaths, type RunRecord } from '../../common/runFolder/runRecord';
import { isOwnerAlive, runStateWithOwner } from '../../common/runFolder/runOwner';
import { isJsonObject, isRunStateName, uncheckedImportNote } from '../../common/runFolder/runFolderFiles';

/**
 * The run.json of a run folder.
 * @throws EngineError (runNotFound) naming the file when it is missing or unreadable.
 */
export async function readRun(runDir: string): Promise<RunRecord> {
  const file = runPaths(runDir).runJson;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new EngineError(EngineErrorCodes.runNotFound, 'no run here (run.json is missing); check the run folder', { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EngineError(EngineErrorCodes.runNotFound, `run.json is not valid JSON (${(err as Error).message})`, { file });
  }
  const problem = runRecordProblem(value);
  if (problem) throw new EngineError(EngineErrorCodes.runNotFound, `this run.json is not a run's (${problem}); check the run folder`, { file });
  return value as RunRecord;
}

/** Why `value` does not have the shape of a run.json the engine writes (the fields every reader relies on), or undefined. */
function runRecordProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'not an object';
  if (typeof value.runId !== 'string' || !value.runId) return 'no runId';
  if (!isRunStateName(value.state)) return 'no valid state';
  if (!isJsonObject(value.config) || typeof value.config.dataset !== 'string') return 'no config with a dataset';
  if (!Array.isArray(value.labels)) return 'no labels';
  return undefined;
}

/**
 * The form of the folder names `claimRunDir` makes (`makeRunId`: local time, dataset, model, and `-2`... when taken):
 * a folder named so, holding a run.json whose runId is that name, was made by the engine inside a runs folder.
 */
const runFolderName = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/;

/**
 * The state a run is really in: a run.json saying `running` or `queued` whose owner process has died (a killed CLI
 * or engine) is `interrupted`, whatever the file says (`runStateWithOwner`). Every reader that decides what a run
 * allows uses this.
 */
export function effectiveRunState(record: RunRecord): RunStateName {
  return runStateWithOwner(record.state, record.owner);
}

/** Writes run.json atomically, stamping `updatedAt`. */
export async function writeRun(runDir: string, record: RunRecord): Promise<void> {
  record.updatedAt = new Date().toISOString();
  await writeJsonAtomic(runPaths(runDir).runJson, record);
}

/**
 * Every run in `runsDir`, newest first (run ids sort by time). Folders without a readable run.json are skipped.
 * @returns an empty list when `runsDir` does not exist.
 */
export async function listRuns(runsDir: string): Promise<RunSummary[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch {
    return [];
  }
  const out: RunSummary[] = [];
  for (const name of names.sort().reverse()) {
    const runDir = join(runsDir, name);
    try {
      if (!(await stat(runDir)).isDirectory()) continue;
      out.push(summarizeRun(runDir, await readRun(runDir)));
    } catch {
      // A folder being created or a foreign folder: not a run (yet).
    }
  }
  return out;
}

/**
 * What the Runs tree shows of a run. A run whose run.json says `running` or `queued` but whose process has died (a
 * killed CLI or engine) is shown as `interrupted`, which is what it is: resumable.
 */
export function summarizeRun(runDir: string, r: RunRecord): RunSummary {
  const died = effectiveRunState(r) !== r.state;
  const unchecked = uncheckedImportNote(r as unknown as Record<string, unknown>);
  return {
    runId: r.runId,
    runDir,
    state: died ? 'interrupted' : r.state,
    dataset: r.config.dataset,
    model: r.config.model,
    mode: r.config.mode,
    createdAt: r.createdAt,
    ...(died ? { message: `the process that ${r.state === 'queued' ? 'queued' : 'trained'} it (${r.owner!.pid}) has stopped` } : r.message ? { message: r.message } : unchecked ? { message: unchecked } : {}),
    ...(r.best ? { bestAccuracy: r.best.validationAccuracy, bestMacroF1: r.best.validationMacroF1 } : {}),
  };
}

/**
 * The run.json of `runDir` after checking that `runDir` is a run folder the engine made (named like a run id, holding
 * the run.json of that run): what must hold before the engine deletes or rewrites anything in it.
 * @throws EngineError (runNotFound) saying `refusal` and why otherwise.
 */
async function readRunFolder(runDir: string, refusal: string): Promise<RunRecord> {
  const record = await readRun(runDir);
  const name = basename(resolve(runDir));
  if (!runFolderName.test(name) || record.runId !== name) {
    const why = runFolderName.test(name) ? `its run.json belongs to run ${JSON.stringify(record.runId)}` : `its name ${JSON.stringify(name)} is not a run id`;
    throw new EngineError(EngineErrorCodes.runNotFound, `${refusal}: this is not a run folder made by the engine (${why}); delete or change it yourself if you mean to`, { file: runDir });
  }
  return record;
}

/**
 * Deletes a run folder, and nothing else: the folder must be one the engine made (named like a run id, holding the
 * run.json of that run), so a mistyped path or a folder with a stray run.json is never removed.
 * @throws EngineError (runNotFound) when `runDir` is not a run folder; (runState) while the run is running (its
 * process lives) or queued. A run whose process died counts as interrupted and is deleted.
 */
export async function deleteRun(runDir: string): Promise<void> {
  const record = await readRunFolder(runDir, 'not deleted');
  const state = effectiveRunState(record);
  if (state === 'running' || state === 'queued') {
    throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} is ${state}; stop it before deleting it`, { file: runPaths(runDir).runJson });
  }
  await rm(runDir, { recursive: true, force: true });
}

/**
 * Sets a completed run's abstain threshold: predictions whose (calibrated) top probability is below it are
 * `UNCERTAIN`. `target` records how it was picked from the validation coverage–accuracy curve; `perClass` (one per
 * label) replaces it for predictions of each class (without it, earlier per-class thresholds are dropped).
 * @throws EngineError(invalidOption) for a threshold outside [0, 1] or `perClass` of another length; (runState) while the run is queued or training
 *   (its process owns run.json then).
 */
export async function setUncertaintyThreshold(runDir: string, threshold: number, target?: RunRecord['uncertaintyTarget'], perClass?: readonly number[]): Promise<RunRecord> {
  const isFraction = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= 1;
  if (!isFraction(threshold)) {
    throw new EngineError(EngineErrorCodes.invalidOption, `the uncertainty threshold must be a number in [0, 1], got ${threshold}`);
  }
  const record = await readRunFolder(runDir, 'threshold not set');
  if (perClass && (perClass.length !== record.labels.length || !perClass.every(isFraction))) {
    throw new EngineError(EngineErrorCodes.invalidOption, `per-class uncertainty thresholds must be ${record.labels.length} numbers in [0, 1] (one per label of run ${record.runId}), got ${JSON.stringify(perClass)}`);
  }
  const state = effectiveRunState(record);
  if (state === 'running' || state === 'queued') {
    throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} is ${state}; set its threshold once it has finished`, { file: runPaths(runDir).runJson });
  }
  record.uncertaintyThreshold = threshold;
  if (perClass) record.uncertaintyThresholds = [...perClass];
  else delete record.uncertaintyThresholds;
  if (target) record.uncertaintyTarget = target;
  else delete record.uncertaintyTarget;
  await writeRun(runDir, record);
  return record;
}

/** Records that a run stopped without finishing (its process died): state `interrupted`, resumable. */
export async function markInterrupted(runDir: string, message: string): Promise<void> {
  const record = await readRunFolder(runDir, 'not marked interrupted');
  if (record.state !== 'running' && record.state !== 'queued') return;
  // A run another live process queued or trains (a CLI run, another window's engine) is not this caller's to mark.
  if (record.owner && isOwnerAlive(record.owner)) return;
  delete record.owner;
  record.state = 'interrupted';
  record.message = message;
  await writeRun(runDir, record);
}
