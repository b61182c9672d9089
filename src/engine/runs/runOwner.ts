// Which process trains a run, so a crashed CLI run shows as interrupted and a live one is not resumed twice.
import { hostname } from 'node:os';

export interface RunOwner {
  pid: number;
  host: string;
}

/** This process, as the owner of the runs it trains. */
export function currentOwner(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/**
 * Whether the owning process still lives. Only knowable on the same machine (elsewhere: assume it does);
 * this process itself counts as not alive, since it is asking because it is not training the run.
 */
export function isOwnerAlive(owner: RunOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
