// Run ids: sortable by time, readable (what was trained on what), unique within a runs folder.
import { constants, statSync } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { EngineErrorCodes } from '../../protocol/errors';
import { option } from '../../common/optionWording';
import { EngineError } from '../errors';

/** The file-system calls `makeRunsFolder` makes; tests pass failing ones (a read-only mount needs root). */
export interface RunsFolderFs {
  mkdir: (path: string, options: { recursive: true }) => Promise<unknown>;
  access: (path: string, mode: number) => Promise<void>;
  stat: (path: string) => Promise<{ isDirectory(): boolean }>;
}
const nodeFs: RunsFolderFs = { mkdir, access, stat };

/** `2026-11-23T13-45-12-emotion-ngram`: local time to the second, dataset name, model name. */
export function makeRunId(datasetPath: string, model: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  return `${stamp}-${slug(datasetName(datasetPath))}-${slug(modelName(model))}`;
}

/**
 * Creates the folder of a new run under `runsDir`, adding `-2`, `-3`... to the id when it is taken
 * (`mkdir` without `recursive` fails if it exists, so two runs never claim the same folder).
 */
export async function claimRunDir(runsDir: string, runId: string): Promise<{ runId: string; runDir: string }> {
  await makeRunsFolder(runsDir);
  for (let n = 1; ; n++) {
    const id = n === 1 ? runId : `${runId}-${n}`;
    const runDir = join(runsDir, id);
    try {
      await mkdir(runDir);
      return { runId: id, runDir };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A read-only copy of a dataset can hold its runs folder already: mkdir of the run is then what fails.
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw readOnlyRunsFolder(runsDir, runsDir, code);
      if (code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Creates `runsDir` and the folders above it. Node's recursive mkdir reports a parent it cannot write to (a
 * read-only mount: EROFS; no write permission: EACCES) as ENOENT, "no such file or folder", about a folder that
 * is there; this finds the deepest folder that exists on the way and, when it cannot be written, says so.
 * @throws EngineError(fileSystem) naming that folder, saying it is read-only and to choose another runs folder
 *   (`--runs-dir` on the CLI, the Runs Folder setting in VS Code); any other error as mkdir threw it.
 */
export async function makeRunsFolder(runsDir: string, fs: RunsFolderFs = nodeFs): Promise<void> {
  try {
    await fs.mkdir(runsDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') throw error;
    const unwritable = await unwritableAncestor(resolve(runsDir), fs);
    if (!unwritable) throw error;
    throw readOnlyRunsFolder(runsDir, unwritable.dir, unwritable.code);
  }
}

/** "`folder`: this folder is read-only …; pass --runs-dir …" (or the setting, in VS Code). */
function readOnlyRunsFolder(runsDir: string, folder: string, code: string): EngineError {
  const why = code === 'EROFS' ? 'it is on a read-only file system or mount (EROFS)' : `you have no permission to write in it (${code})`;
  const where = folder === runsDir ? 'so no run can be stored in it' : `so the runs folder ${runsDir} cannot be created in it`;
  return EngineError.worded(EngineErrorCodes.fileSystem, (s) => `this folder is read-only: ${why}, ${where}; ${s === 'cli' ? `pass ${option('runsDir', s)} with a folder you can write to` : `set ${option('runsDir', s)} to a folder you can write to`}`, { file: folder });
}

/** The deepest existing folder on the way to `dir` when it refuses writes, with the refusal's code. */
async function unwritableAncestor(dir: string, fs: RunsFolderFs): Promise<{ dir: string; code: string } | undefined> {
  for (let folder = dir; ; folder = dirname(folder)) {
    const found = await fs.stat(folder).catch(() => undefined);
    if (found) {
      if (!found.isDirectory()) return undefined;
      try {
        await fs.access(folder, constants.W_OK);
        return undefined;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? { dir: folder, code } : undefined;
      }
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/** The default runs folder: `<dataset folder>/.classifier-workbench/runs` (the dataset may be a folder itself). */
export function defaultRunsDir(datasetPath: string): string {
  const path = resolve(datasetPath);
  const folder = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? path : dirname(path);
  return join(folder, '.classifier-workbench', 'runs');
}

// `data/emotion/train.jsonl` is "emotion" and `tickets-train.jsonl` is "tickets": a split name says little.
function datasetName(path: string): string {
  const name = basename(path, extname(path)).replace(/(^|[-_.])(train|training)($|[-_.])/i, '$1').replace(/[-_.]+$/, '');
  return ['', 'data', 'dataset'].includes(name.toLowerCase()) ? basename(dirname(resolve(path))) : name;
}

function modelName(model: string): string {
  return basename(model.replace(/[\\/]+$/, ''));
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'x';
}
