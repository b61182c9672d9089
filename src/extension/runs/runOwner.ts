// Whether the process that trained a run still lives, so the Runs tree shows a run whose trainer died (a killed CLI
// or engine) as `interrupted`, as the engine's own listings do. Same rule as src/engine/runs/runOwner.ts
// (`isOwnerAlive`, used by `summarizeRun`); kept here because activation must load no engine module.
import { hostname } from 'node:os';
import type { RunStateName } from '../../protocol/train';
import { isJsonObject, isRunStateName, type JsonObject } from './runFolderFiles';

/** run.json's `owner`: the process that set the run `running`. */
export interface RunOwner {
  pid: number;
  host: string;
}

/** The owner recorded in run.json, or undefined when none is (older engines, queued runs) or it is malformed. */
export function readRunOwner(v: unknown): RunOwner | undefined {
  if (!isJsonObject(v) || typeof v.host !== 'string' || !Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined;
  return { pid: v.pid as number, host: v.host };
}

/**
 * Whether the owning process still lives. Only knowable on the same machine (elsewhere: assume it does); this
 * process itself counts as not alive, since it does not train runs (the engine runs in its own process).
 */
export function isOwnerAlive(owner: RunOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A run's state as the views show it, and, when its trainer died, that process id. */
export interface RunStateOnDisk {
  state: RunStateName;
  /** Set when run.json says `running` but its owner process has stopped: the run is then `interrupted`. */
  deadOwnerPid?: number;
}

/**
 * run.json's state corrected for a dead trainer (a killed CLI run or engine still says `running`: it is
 * `interrupted`, and resumable). Undefined when run.json holds no valid state. Used by the Runs tree and the
 * webviews so both show the same state.
 */
export function runStateOnDisk(runJson: JsonObject): RunStateOnDisk | undefined {
  const recorded = isRunStateName(runJson.state) ? runJson.state : undefined;
  if (recorded !== 'running') return recorded && { state: recorded };
  const owner = readRunOwner(runJson.owner);
  return owner !== undefined && !isOwnerAlive(owner) ? { state: 'interrupted', deadOwnerPid: owner.pid } : { state: recorded };
}
