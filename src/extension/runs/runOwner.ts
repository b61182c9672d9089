// Whether the process that queued or trained a run still lives, so the Runs tree shows a run whose owner died (a
// killed CLI or engine) as `interrupted`, as the engine's own listings do: the rule is src/protocol/runOwner.ts.
import { runStateWithOwner, type RunOwner } from '../../protocol/runOwner';
import type { RunStateName } from '../../protocol/train';
import { isJsonObject, isRunStateName, type JsonObject } from './runFolderFiles';

export type { RunOwner } from '../../protocol/runOwner';

/** The owner recorded in run.json, or undefined when none is (older engines, queued runs) or it is malformed. */
export function readRunOwner(v: unknown): RunOwner | undefined {
  if (!isJsonObject(v) || typeof v.host !== 'string' || !Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined;
  return { pid: v.pid as number, host: v.host };
}

/** A run's state as the views show it, and, when its trainer died, that process id. */
export interface RunStateOnDisk {
  state: RunStateName;
  /** Set when run.json says `running` or `queued` but its owner process has stopped: the run is then `interrupted`. */
  deadOwnerPid?: number;
}

/**
 * run.json's state corrected for a dead trainer (a killed CLI run or engine still says `running`: it is
 * `interrupted`, and resumable). Undefined when run.json holds no valid state. Used by the Runs tree and the
 * webviews so both show the same state.
 */
export function runStateOnDisk(runJson: JsonObject): RunStateOnDisk | undefined {
  const recorded = isRunStateName(runJson.state) ? runJson.state : undefined;
  if (!recorded) return undefined;
  const owner = readRunOwner(runJson.owner);
  const state = runStateWithOwner(recorded, owner);
  return state !== recorded ? { state, deadOwnerPid: owner!.pid } : { state };
}
