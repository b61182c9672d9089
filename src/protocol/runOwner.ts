/**
 * Which process owns a run, and the one rule for what a run whose owner died is: `interrupted` (resumable,
 * deletable), wherever it is shown or acted on — the engine's listings, delete and resume, the CLI, the Runs tree and
 * the webviews. run.json records the owner from the moment the run is queued (`prepareRun`) until it stops; a
 * killed CLI or engine leaves `running` or `queued` behind with a pid that no longer exists.
 *
 * Node-only (it asks the OS about a pid): the engine and the extension host import it, the webview pages do not.
 */
import { hostname } from 'node:os';
import type { RunStateName } from './train';

/** run.json's `owner`: the process that queued or trains the run. */
export interface RunOwner {
  pid: number;
  host: string;
}

/** This process, as the owner of the runs it queues and trains. */
export function currentOwner(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/**
 * Whether the owning process still lives. Only knowable on the same machine (elsewhere: assume it does); this
 * process itself counts as not alive, since it is asking because it is not training the run.
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

/**
 * The state a run is really in: `running` or `queued` in run.json with an owner process that is gone means
 * `interrupted`. Runs without a recorded owner (older engines) keep their recorded state.
 */
export function runStateWithOwner(recorded: RunStateName, owner: RunOwner | undefined): RunStateName {
  return (recorded === 'running' || recorded === 'queued') && owner !== undefined && !isOwnerAlive(owner) ? 'interrupted' : recorded;
}
