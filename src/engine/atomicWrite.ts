// Atomic file and folder writes: readers see the old content or the new, never a half-written file, even
// if the process is killed mid-write (temp file in the same folder + rename, which POSIX makes atomic).
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { EngineErrorCodes } from '../protocol/errors';
import { EngineError } from './errors';
import { pathExists } from './pathExists';
import { withPath } from './fileSystemError';

let counter = 0;
/** A fresh temp path beside `path` (same folder, so same file system: a rename moves it into place atomically). */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter++}`);
}

/** Whether process `pid` is running (signal 0 tests for it; EPERM means it runs as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp folders that `replaceDirAtomic(path, …)` calls of processes no longer running left beside `path`
 * (`.<name>.tmp-<pid>-<n>`: a kill -9 or a second Ctrl+C mid-write), so a killed export does not leave a hidden
 * copy of the model in the user's folder for good. Only that exact name pattern with a dead pid is touched.
 * @returns the names removed
 */
export async function removeStaleTempFolders(path: string): Promise<string[]> {
  const prefix = `.${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)-\d+$/.exec(name.slice(prefix.length));
    if (!match || Number(match[1]) === process.pid || processAlive(Number(match[1]))) continue;
    await rm(join(dirname(path), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Creates `dir` and its missing parents one level at a time. Unlike `mkdir(dir, { recursive: true })` this reports
 * the real reason a level cannot be made, and it cannot spin: Node 20's recursive mkdir loops forever under /proc.
 * @throws EngineError(fileSystem) when the file system refuses a new folder where its parent exists; Node's own
 * error (mapped by `fileSystemError` at the shells) for the rest.
 */
export async function ensureFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      if (!(await stat(at)).isDirectory()) throw new EngineError(EngineErrorCodes.fileSystem, 'this is a file, not a folder; check the path', { file: at });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error;
      missing.push(at);
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // The parent exists (checked above), so ENOENT here means the file system takes no new folders (/proc, /sys).
      if (code === 'ENOENT') {
        throw new EngineError(EngineErrorCodes.fileSystem, `cannot create a folder in ${dirname(folder)}: that file system does not accept new folders (read-only or virtual); choose a folder you can write to`, { file: folder });
      }
      throw error;
    }
  }
}

/** Writes `data` to `path` atomically (fsync before the rename so a crash cannot leave an empty file). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await ensureFolder(dirname(path));
  const temp = tempPathBeside(path);
  const handle = await open(temp, 'w').catch((error: unknown) => Promise.reject(withPath(error, path)));
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    // A full disk: the half-written temp file goes, the old file was never touched.
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw withPath(error, path);
  }
  await handle.close();
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
  const temp = tempPathBeside(dir);
  const old = `${dir}.old`;
  await ensureFolder(dirname(temp));
  // A refusal names the destination the caller asked for, not the temp folder beside it.
  await mkdir(temp).catch((error: unknown) => Promise.reject(Object.assign(error as Error, { path: dir })));
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
