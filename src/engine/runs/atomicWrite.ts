// Atomic file and folder writes: readers see the old content or the new, never a half-written file, even
// if the process is killed mid-write (temp file in the same folder + rename, which POSIX makes atomic).
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { pathExists } from '../pathExists';

let counter = 0;
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter++}`);
}

/** Writes `data` to `path` atomically (fsync before the rename so a crash cannot leave an empty file). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempName(path);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** `writeFileAtomic` of pretty-printed JSON with a final newline. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Replaces the folder `dir` with what `fill` writes into a fresh temp folder. The old folder is moved aside
 * first and removed last, so at every instant either `dir` or `dir.old` holds a complete copy
 * (`existingFolder` finds it).
 */
export async function replaceDirAtomic(dir: string, fill: (tempDir: string) => Promise<void>): Promise<void> {
  const temp = tempName(dir);
  const old = `${dir}.old`;
  await mkdir(temp, { recursive: true });
  try {
    await fill(temp);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  await rm(old, { recursive: true, force: true });
  if (await pathExists(dir)) await rename(dir, old);
  await rename(temp, dir);
  await rm(old, { recursive: true, force: true });
}

/** `dir` if it exists, else `dir.old` left by a `replaceDirAtomic` interrupted between its renames, else undefined. */
export async function existingFolder(dir: string): Promise<string | undefined> {
  if (await pathExists(dir)) return dir;
  if (await pathExists(`${dir}.old`)) return `${dir}.old`;
  return undefined;
}
