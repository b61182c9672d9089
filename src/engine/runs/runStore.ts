// Runs on disk: read, list, update, delete run folders and mark runs that died as interrupted.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '../../protocol/runs';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { writeJsonAtomic } from './atomicWrite';
import { runPaths, type RunRecord } from './runRecord';
import { isOwnerAlive } from './runOwner';

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
  try {
    return JSON.parse(text) as RunRecord;
  } catch (err) {
    throw new EngineError(EngineErrorCodes.runNotFound, `run.json is not valid JSON (${(err as Error).message})`, { file });
  }
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
 * What the Runs tree shows of a run. A run whose run.json says `running` but whose process has died (a killed
 * CLI) is shown as `interrupted`, which is what it is: resumable.
 */
export function summarizeRun(runDir: string, r: RunRecord): RunSummary {
  const died = r.state === 'running' && r.owner !== undefined && !isOwnerAlive(r.owner);
  return {
    runId: r.runId,
    runDir,
    state: died ? 'interrupted' : r.state,
    dataset: r.config.dataset,
    model: r.config.model,
    mode: r.config.mode,
    createdAt: r.createdAt,
    ...(died ? { message: `the process that trained it (${r.owner!.pid}) has stopped` } : r.message ? { message: r.message } : {}),
    ...(r.best ? { bestAccuracy: r.best.validationAccuracy, bestMacroF1: r.best.validationMacroF1 } : {}),
  };
}

/**
 * Deletes a run folder.
 * @throws EngineError (runState) while the run is running or queued according to run.json; callers that
 * know the process that ran it died should `markInterrupted` first.
 */
export async function deleteRun(runDir: string): Promise<void> {
  const record = await readRun(runDir);
  if (record.state === 'running' || record.state === 'queued') {
    throw new EngineError(EngineErrorCodes.runState, `run ${record.runId} is ${record.state}; stop it before deleting it`, { file: runPaths(runDir).runJson });
  }
  await rm(runDir, { recursive: true, force: true });
}

/** Records that a run stopped without finishing (its process died): state `interrupted`, resumable. */
export async function markInterrupted(runDir: string, message: string): Promise<void> {
  const record = await readRun(runDir);
  if (record.state !== 'running' && record.state !== 'queued') return;
  record.state = 'interrupted';
  record.message = message;
  await writeRun(runDir, record);
}
