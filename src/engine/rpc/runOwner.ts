/**
 * Which engine process trains a run: a `.engine-pid` file in the run folder while it trains here. A run whose
 * run.json still says `running` but whose owner process is gone (killed with the window, a crash in an earlier
 * session) is an orphan, and `run/list` records it as `interrupted`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isProcessAlive } from '../../common/runFolder/runOwner';
import { runPaths } from '../../common/runFolder/runRecord';

const ownerFile = (runDir: string) => runPaths(runDir).enginePid;

/** Marks this process as the one training `runDir`. */
export function claimRun(runDir: string): void {
  try {
    writeFileSync(ownerFile(runDir), String(process.pid));
  } catch {
    // Without the marker the run is only not detected as an orphan later; training is unaffected.
  }
}

/** The run stopped (any way but a crash of this process). */
export function releaseRun(runDir: string): void {
  rmSync(ownerFile(runDir), { force: true });
}

/**
 * True when `runDir` was claimed by a process that no longer exists. Runs without a marker (trained by the CLI,
 * or by an older engine) are never orphans: nothing is known about them.
 */
export function isOrphanedRun(runDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(ownerFile(runDir), 'utf8'));
  } catch {
    return false;
  }
  return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
}
