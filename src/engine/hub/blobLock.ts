// A lock file per cache blob, so two processes (the extension's engine and a CLI run) never append to the same
// `.incomplete` download at once.
import { readFile, unlink, writeFile } from 'node:fs/promises';

/**
 * Runs `work` holding `<blob>.lock`, so two processes (the extension's engine and a CLI run) never append to the
 * same `.incomplete` file. A lock whose process is gone is taken over.
 */
export async function withBlobLock(blob: string, signal: AbortSignal | undefined, onAbort: () => Error, work: () => Promise<void>): Promise<void> {
  const lock = `${blob}.lock`;
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (!processAlive(owner)) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      await wait(200);
      if (signal?.aborted) throw onAbort();
    }
  }
  try {
    await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
