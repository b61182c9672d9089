/**
 * Errors from the file system are the environment, not bugs: a full disk, a read-only folder, no permission. This is
 * the one place that turns Node's `ErrnoException` into an `EngineError` saying what happened, to which path, and
 * what to do; the CLI (`runCli`) and the RPC server (`toResponseError`, `serializeError`) both call it, so every
 * write anywhere in the library is covered without a try/catch of its own.
 */
import { EngineErrorCodes } from '../protocol/errors';
import { EngineError } from './errors';

/** What each error code means and what the user can do about it. */
const explanations: Record<string, { what: string; todo: string }> = {
  ENOSPC: { what: 'the disk is full', todo: 'free some space or choose a folder on another disk, then try again' },
  EDQUOT: { what: 'the disk quota is used up', todo: 'free some space or choose a folder on another disk, then try again' },
  EROFS: { what: 'the file system is read-only', todo: 'choose a folder you can write to' },
  EACCES: { what: 'permission denied', todo: 'check the permissions of the folder or choose another one' },
  EPERM: { what: 'the operation is not permitted here', todo: 'check the permissions of the folder or choose another one' },
  ENOENT: { what: 'no such file or folder', todo: 'check the path' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', todo: 'check the path' },
  EISDIR: { what: 'it is a folder where a file was expected', todo: 'check the path' },
  EEXIST: { what: 'something with that name is already there', todo: 'choose another name or remove it yourself' },
  ENOTEMPTY: { what: 'the folder is not empty', todo: 'choose an empty folder' },
  ENAMETOOLONG: { what: 'the path is too long', todo: 'choose a shorter path' },
  ELOOP: { what: 'the path has a loop of symbolic links', todo: 'check the links in the path' },
  EMFILE: { what: 'too many files are open in this process', todo: 'close other work and try again' },
  ENFILE: { what: 'too many files are open on this machine', todo: 'close other programs and try again' },
  EBUSY: { what: 'the file or folder is in use', todo: 'close what uses it and try again' },
  EIO: { what: 'the disk reported an input/output error', todo: 'check the disk' },
  EXDEV: { what: 'the destination is on another file system', todo: 'choose a destination on the same disk' },
  ETXTBSY: { what: 'the file is in use', todo: 'close what uses it and try again' },
};

/** Verbs of the system calls, so the message says what the engine was doing. */
const doing: Record<string, string> = {
  open: 'opening', read: 'reading', write: 'writing', mkdir: 'creating the folder', rmdir: 'removing the folder', rm: 'removing',
  unlink: 'removing', rename: 'moving', copyfile: 'copying', scandir: 'listing the folder', stat: 'reading', lstat: 'reading',
  access: 'checking', fsync: 'writing', close: 'writing', symlink: 'linking', link: 'linking', utime: 'writing', chmod: 'changing',
};

/**
 * The `EngineError(fileSystem)` for a Node file-system error, or undefined when `error` is not one.
 * @returns e.g. `/data/out: the file system is read-only (EROFS, creating the folder); choose a folder you can write to.`
 */
export function fileSystemError(error: unknown): EngineError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string };
  if (typeof code !== 'string' || !(code in explanations) || typeof syscall !== 'string') return undefined;
  const { what, todo } = explanations[code]!;
  const verb = doing[syscall] ?? syscall;
  const target = dest && (code === 'EXDEV' || code === 'EEXIST' || code === 'ENOTEMPTY') ? ` → ${dest}` : '';
  return new EngineError(EngineErrorCodes.fileSystem, `${what} (${code}, ${verb}${target}); ${todo}.`, path ? { file: path } : {});
}

/** `error` as an EngineError when it is one or a file-system error; otherwise `error` itself. */
export function asEngineError(error: unknown): unknown {
  if (error instanceof EngineError) return error;
  return fileSystemError(error) ?? error;
}

/**
 * Adds `path` to a file-system error that lacks one (a failed `write` on an open file says only ENOSPC), so the
 * message can name the file; returns `error` for rethrowing.
 */
export function withPath(error: unknown, path: string): unknown {
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && !(error as NodeJS.ErrnoException).path) {
    (error as NodeJS.ErrnoException).path = path;
  }
  return error;
}
