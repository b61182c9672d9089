// Which process owns a run, and the one rule for what a run whose owner died is: `interrupted` (resumable,
// deletable), wherever it is shown or acted on — the engine's listings, delete and resume, the CLI, the Runs tree and
// the webviews. run.json records the owner from the moment the run is queued (`prepareRun`) until it stops; a
// killed CLI or engine leaves `running` or `queued` behind with a pid that no longer exists.
// Node-only (it asks the OS about a pid): the engine and the extension host import it, the webview pages do not.
import { hostname } from 'node:os';
import type { RunStateName } from '../../protocol/train';
import { isJsonObject, isRunStateName, type JsonObject } from './runFolderFiles';

/** run.json's `owner`: the process that queued or trains the run. */
export interface RunOwner {
  pid: number;
  host: string;
}

/** This process, as the owner of the runs it queues and trains. */
export function currentOwner(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/** True when a process with this id exists on this machine (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the owning process still lives. Only knowable on the same machine (elsewhere: assume it does); this
 * process itself counts as not alive, since it is asking because it is not training the run.
 */
export function isOwnerAlive(owner: RunOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  return isProcessAlive(owner.pid);
}

/**
 * The state a run is really in: `running` or `queued` in run.json with an owner process that is gone means
 * `interrupted`. Runs without a recorded owner (older engines) keep their recorded state.
 */
export function runStateWithOwner(recorded: RunStateName, owner: RunOwner | undefined): RunStateName {
  return (recorded === 'running' || recorded === 'queued') && owner !== undefined && !isOwnerAlive(owner) ? 'interrupted' : recorded;
}

/** The owner recorded in run.json, or undefined when none is (older engines) or it is malformed. */
export function readRunOwner(v: unknown): RunOwner | undefined {
  if (!isJsonObject(v) || typeof v.host !== 'string' || !Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined;
  return { pid: v.pid as number, host: v.host };
}

/** A run's state as the views show it, and, when its owner died, that process id. */
export interface RunStateOnDisk {
  state: RunStateName;
  /** Set when run.json says `running` or `queued` but its owner process has stopped: the run is then `interrupted`. */
  deadOwnerPid?: number;
}

/**
 * run.json's state corrected for a dead owner (`runStateWithOwner`), from the raw JSON the views read. Undefined
 * when run.json holds no valid state. Used by the Runs tree and the webviews so both show the same state.
 */
export function runStateOnDisk(runJson: JsonObject): RunStateOnDisk | undefined {
  const recorded = isRunStateName(runJson.state) ? runJson.state : undefined;
  if (!recorded) return undefined;
  const owner = readRunOwner(runJson.owner);
  const state = runStateWithOwner(recorded, owner);
  return state !== recorded ? { state, deadOwnerPid: owner!.pid } : { state };
}
