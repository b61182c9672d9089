// Atomic file and folder writes: readers see the old content or the new, never a half-written file, even
// if the process is killed mid-write (temp file in the same folder + rename, which POSIX makes atomic).
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { EngineErrorCodes } from '../protocol/errors';
import { EngineError } from './errors';
import { pathExists } from './pathExists';
import { withPath } from './fileSystemError';

let counter = 0;
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter++}`);
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
  const temp = tempName(path);
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
  const temp = tempName(dir);
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
