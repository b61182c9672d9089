// Writes an export into a folder the user names without touching anything of theirs. The folder's marker
// (`.classifier-workbench-export`) records every file the export wrote with its size and SHA-256, so a later export
// replaces exactly those files, and only while they are as written: a file the user added (a model card README.md,
// .git/, .gitattributes) is kept, and one the user changed since, or one in the way of a new file, is never
// overwritten (the export is refused, naming it, before the folder is touched).
//
// Crash safety: the new files are staged in a temp folder beside the destination. A new destination is that folder
// renamed into place. An existing one is changed file by file in a small transaction whose journal sits in the aside
// folder `<dest>.old`: the earlier export's files that go are moved there, the new files are moved in, and the new
// marker is renamed in last, which is the commit. A killed export is completed or rolled back, by the marker, at the
// next export into that folder (`recoverExportFolder`); at no instant is a user's file moved or an earlier export's
// file anywhere but in the destination or `<dest>.old`.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { filesUnder } from '../filesUnder';
import { ensureFolder, removeStaleTempFolders, tempPathBeside, writeJsonAtomic } from '../atomicWrite';

/** Marks a folder written by an export and lists its files; only such a folder (or a run's own model/) is written again. */
export const EXPORT_MARKER_FILE = '.classifier-workbench-export';
/** The marker's `format`; a marker without `files` is an earlier version's (it recorded no file list). */
export const EXPORT_MARKER_FORMAT = 'classifier-workbench-export';
/** The transaction's journal, inside `<dest>.old`. */
const JOURNAL_FILE = 'export-journal.json';
/** Where `<dest>.old` keeps the earlier export's files during the transaction (`files/<relative path>`). */
const ASIDE_FILES = 'files';

/** One exported file as written: its size in bytes and its SHA-256 (hex). */
export interface ExportedFileRecord {
  size: number;
  sha256: string;
}

/** The marker's content. Earlier versions wrote `{ runId, exportedAt }` only. */
export interface ExportMarker {
  format: typeof EXPORT_MARKER_FORMAT;
  version: 2;
  runId: string;
  exportedAt: string;
  /** Every file the export wrote, by path relative to the folder with `/`, the marker itself excepted. */
  files: Record<string, ExportedFileRecord>;
}

interface Journal {
  /** SHA-256 of the new marker's text: the destination's marker equal to it means the export committed. */
  newMarkerSha256: string;
  /** The earlier export's files moved to `<dest>.old/files/` (replaced or no longer part of the export). */
  movedAside: string[];
  /** The new files moved in, as written. */
  added: Record<string, ExportedFileRecord>;
}

export interface WriteExportOptions {
  runId: string;
  /** The run's own `model/` folder: inside the run folder, all of it the engine's even when its marker lists no files. */
  isRunModel: boolean;
  /** Writes the export's files into the (empty) staging folder. */
  fill: (stagingDir: string) => Promise<void>;
  /** Test seam: called before each step of the transaction (a test kills the process there). */
  onStep?: (step: string) => void;
}

export interface WrittenExport {
  /** The export's files, relative to the folder, sorted (the marker not included). */
  files: string[];
  /** What the folder holds besides the export (the user's), top-level names, sorted: kept as they were. */
  kept: string[];
}

/**
 * Writes an export into `target`: a missing folder, an empty one, an earlier export's (it holds `EXPORT_MARKER_FILE`)
 * or the run's own model/.
 * @throws EngineError(invalidOption), with nothing changed, when `target` is a file or a folder no export wrote, when
 * a file of the earlier export was changed since it was written or a file that is not the earlier export's is where
 * the new export writes one (each named), when the marker is an earlier version's (no file list) and the folder
 * holds more than it, or when `<target>.old` is something no export left; the errors of `fill`.
 */
export async function writeExportFolder(destination: string, options: WriteExportOptions): Promise<WrittenExport> {
  const step = options.onStep ?? (() => undefined);
  // A destination given as a link to a folder is that folder: stage beside the folder itself (same file system).
  const target = await realpath(destination).catch(() => destination);
  await recoverExportFolder(target, options.isRunModel);
  await removeStaleTempFolders(target);
  const existing = await readTarget(target, options.isRunModel);
  // Refusals that do not depend on the new files come before the (possibly long) model export.
  if (existing) refuse(target, existing.changed, []);
  const staging = tempPathBeside(target);
  await ensureFolder(dirname(staging));
  // A refusal names the destination the caller asked for, not the temp folder beside it.
  await mkdir(staging).catch((error: unknown) => Promise.reject(Object.assign(error as Error, { path: target })));
  try {
    await options.fill(staging);
    const files: Record<string, ExportedFileRecord> = {};
    for (const rel of await filesUnder(staging)) files[rel] = await recordFile(join(staging, rel));
    const marker: ExportMarker = { format: EXPORT_MARKER_FORMAT, version: 2, runId: options.runId, exportedAt: new Date().toISOString(), files };
    const markerText = `${JSON.stringify(marker, null, 2)}\n`;
    await writeFile(join(staging, EXPORT_MARKER_FILE), markerText);
    if (!existing) {
      step('rename staging folder');
      await rename(staging, target);
      return { files: Object.keys(files).sort(), kept: [] };
    }
    refuse(target, [], await inTheWay(target, Object.keys(files), existing.ours));
    await commit(target, staging, existing.ours, files, markerText, step);
    const kept = (await readdir(target)).filter((name) => name !== EXPORT_MARKER_FILE && !Object.keys(files).some((f) => f === name || f.startsWith(`${name}/`)));
    return { files: Object.keys(files).sort(), kept: kept.sort() };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The transaction: earlier files aside, new files in, marker in (the commit), then the aside folder goes. */
async function commit(target: string, staging: string, ours: readonly string[], files: Record<string, ExportedFileRecord>, markerText: string, step: (s: string) => void): Promise<void> {
  const aside = `${target}.old`;
  await mkdir(aside);
  const journal: Journal = { newMarkerSha256: sha256Text(markerText), movedAside: [...ours], added: files };
  await writeJsonAtomic(join(aside, JOURNAL_FILE), journal);
  try {
    for (const rel of ours) {
      step(`aside ${rel}`);
      await mkdir(dirname(join(aside, ASIDE_FILES, rel)), { recursive: true });
      await rename(join(target, rel), join(aside, ASIDE_FILES, rel));
    }
    for (const rel of Object.keys(files)) {
      step(`in ${rel}`);
      await mkdir(dirname(join(target, rel)), { recursive: true });
      await rename(join(staging, rel), join(target, rel));
    }
    step('marker');
    await rename(join(staging, EXPORT_MARKER_FILE), join(target, EXPORT_MARKER_FILE));
  } catch (error) {
    // A step the file system refused: the earlier export goes back, as after a kill.
    await undoOrFinish(target, aside);
    throw error;
  }
  step('cleanup');
  await removeEmptyFolders(target, ours);
  await rm(aside, { recursive: true, force: true });
}

/**
 * Completes or rolls back what a killed export left in `<target>.old`: with the new marker in place the export had
 * committed and the aside folder goes; otherwise the new files moved in (those still as written) are removed and the
 * earlier ones moved back. An earlier version's aside folder (a whole earlier export) becomes the destination when
 * that is missing, and goes when it is the run's own model.old.
 * @throws EngineError(invalidOption) when `<target>.old` is something no export left, or an earlier version's aside
 * folder beside an existing destination (it may hold the user's files)
 */
export async function recoverExportFolder(target: string, isRunModel: boolean): Promise<void> {
  const aside = `${target}.old`;
  const asideInfo = await lstat(aside).catch(notFound);
  if (!asideInfo) return;
  const entries = asideInfo.isDirectory() ? await readdir(aside) : ['(a file)'];
  if (entries.length === 0) {
    await rmdir(aside); // made by a transaction killed before its journal was written
    return;
  }
  if (entries.includes(JOURNAL_FILE)) {
    await undoOrFinish(target, aside);
    return;
  }
  if (entries.includes(EXPORT_MARKER_FILE) || isRunModel) {
    if (!(await lstat(target).catch(notFound))) {
      await rename(aside, target); // an earlier version was killed between its two renames: this is the export
      return;
    }
    if (isRunModel) {
      await rm(aside, { recursive: true, force: true });
      return;
    }
    throw new EngineError(EngineErrorCodes.invalidOption,
      `${basename(aside)} was left by an interrupted export of an earlier version of Classifier Workbench, and it may hold your files; nothing was changed. Look through it, keep what is yours, delete it, then export again`, { file: aside });
  }
  throw new EngineError(EngineErrorCodes.invalidOption,
    `an export puts the earlier model aside as ${basename(aside)} while it writes, and that name is taken by something an export did not write; nothing was changed. Rename ${basename(aside)}, or export into another folder`, { file: aside });
}

async function undoOrFinish(target: string, aside: string): Promise<void> {
  const journal = JSON.parse(await readFile(join(aside, JOURNAL_FILE), 'utf8')) as Journal;
  const marker = await readFile(join(target, EXPORT_MARKER_FILE), 'utf8').catch(notFound);
  if (marker !== undefined && sha256Text(marker) === journal.newMarkerSha256) {
    await removeEmptyFolders(target, journal.movedAside);
    await rm(aside, { recursive: true, force: true });
    return;
  }
  for (const [rel, written] of Object.entries(journal.added)) {
    // Only a file still exactly as the export wrote it is the export's; anything else there is left alone.
    if (await sameAs(join(target, rel), written)) await unlink(join(target, rel));
  }
  await removeEmptyFolders(target, Object.keys(journal.added));
  const blocked: string[] = [];
  for (const rel of journal.movedAside) {
    const from = join(aside, ASIDE_FILES, rel);
    if (!(await lstat(from).catch(notFound))) continue;
    if (await lstat(join(target, rel)).catch(notFound)) {
      blocked.push(rel);
      continue;
    }
    await mkdir(dirname(join(target, rel)), { recursive: true });
    await rename(from, join(target, rel));
  }
  if (blocked.length > 0) {
    throw new EngineError(EngineErrorCodes.invalidOption,
      `an interrupted export left the earlier export's ${listed(blocked)} in ${join(basename(aside), ASIDE_FILES)}, and other files now have those names in the folder; nothing else was changed. Move what you want to keep into place, delete ${basename(aside)}, then export again`, { file: aside });
  }
  await rm(aside, { recursive: true, force: true });
}

interface TargetState {
  /** The earlier export's files, as written: the export's to replace or remove. */
  ours: string[];
  /** The earlier export's files changed since it wrote them. */
  changed: string[];
}

/**
 * What the destination holds: undefined when it is missing (the staging folder is renamed into place).
 * @throws EngineError(invalidOption) for a file, a folder of files no export wrote, or an earlier version's export
 * (no file list) holding more than its marker
 */
async function readTarget(target: string, isRunModel: boolean): Promise<TargetState | undefined> {
  // stat, not lstat: a destination given as a link to a folder (models -> /data/models) is that folder.
  const info = await stat(target).catch(notFound);
  if (!info) return undefined;
  if (!info.isDirectory()) throw new EngineError(EngineErrorCodes.invalidOption, 'the export destination is a file; choose a new or empty folder', { file: target });
  const entries = await readdir(target);
  const marker = entries.includes(EXPORT_MARKER_FILE) ? await readMarker(join(target, EXPORT_MARKER_FILE)) : undefined;
  if (!marker?.files) {
    const present = (await filesUnder(target)).filter((f) => f !== EXPORT_MARKER_FILE);
    // No file list: every file is the user's, except in the run's own model/ (inside the run folder, all the engine's).
    if (isRunModel || present.length === 0) return { ours: isRunModel ? present : [], changed: [] };
    if (!entries.includes(EXPORT_MARKER_FILE)) {
      throw new EngineError(EngineErrorCodes.invalidOption,
        `the export destination already holds files an export did not write (${listed(entries)}); nothing was changed. Export into a new or empty folder, or one an earlier export wrote`, { file: target });
    }
    throw new EngineError(EngineErrorCodes.invalidOption,
      `this folder was exported by an earlier version of Classifier Workbench, which did not record the files it wrote, so nothing in it is replaced (${listed(present)}); nothing was changed. Move out what is yours and delete the rest, or export into a new folder`, { file: target });
  }
  const ours: string[] = [];
  const changed: string[] = [];
  for (const [rel, written] of Object.entries(marker.files)) {
    const path = join(target, rel);
    if (await sameAs(path, written)) ours.push(rel);
    else if (await lstat(path).catch(notFound)) changed.push(rel); // a deleted one is simply gone
  }
  return { ours: ours.sort(), changed: changed.sort() };
}

/** The new files' paths (and their folders) already taken in `target` by something that is not the earlier export's. */
async function inTheWay(target: string, files: readonly string[], ours: readonly string[]): Promise<string[]> {
  const replaced = new Set(ours);
  const taken = new Set<string>();
  for (const rel of files) {
    if (replaced.has(rel)) continue;
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const info = await lstat(join(target, prefix)).catch(notFound);
      if (!info) break;
      // A folder on the way is fine (onnx/ holding the user's notes); a file, a link or the path itself is not.
      if (i === parts.length || !info.isDirectory()) {
        taken.add(prefix);
        break;
      }
    }
  }
  return [...taken].sort();
}

function refuse(target: string, changed: readonly string[], taken: readonly string[]): void {
  if (changed.length === 0 && taken.length === 0) return;
  const reasons = [
    ...(changed.length ? [`${listed(changed)} ${changed.length === 1 ? 'was' : 'were'} changed since the earlier export wrote ${changed.length === 1 ? 'it' : 'them'}`] : []),
    ...(taken.length ? [`${listed(taken)} ${taken.length === 1 ? 'is' : 'are'} not the earlier export's, and the export writes ${taken.length === 1 ? 'that name' : 'those names'}`] : []),
  ];
  throw new EngineError(EngineErrorCodes.invalidOption,
    `the export would overwrite files that are yours: ${reasons.join('; ')}; nothing was changed. Move ${changed.length + taken.length === 1 ? 'it' : 'them'} out of the folder (or delete ${changed.length + taken.length === 1 ? 'it' : 'them'}) and export again, or export into a new folder`, { file: target });
}

/** The marker's content, or undefined for an earlier version's or an unreadable one (its files are then the user's). */
export async function readMarker(path: string): Promise<Partial<ExportMarker> | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<ExportMarker>;
    if (!value || typeof value !== 'object') return undefined;
    const files = value.files;
    const valid = files && typeof files === 'object' && Object.entries(files).every(([rel, f]) => isSafeRelative(rel) && typeof f?.size === 'number' && typeof f?.sha256 === 'string');
    return valid ? value : { ...value, files: undefined };
  } catch {
    return undefined;
  }
}

/** A marker's path may not leave the folder: a hand-edited `../x` must not make the export remove a file elsewhere. */
function isSafeRelative(rel: string): boolean {
  return rel !== '' && !rel.startsWith('/') && !rel.includes('\\') && rel.split('/').every((p) => p !== '' && p !== '.' && p !== '..') && rel !== EXPORT_MARKER_FILE;
}

/** Whether `path` is a regular file of exactly that size and SHA-256. */
async function sameAs(path: string, written: ExportedFileRecord): Promise<boolean> {
  const info = await lstat(path).catch(notFound);
  if (!info?.isFile() || info.size !== written.size) return false;
  return (await recordFile(path)).sha256 === written.sha256;
}

async function recordFile(path: string): Promise<ExportedFileRecord> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Removes the folders of `files` (deepest first) that are left empty: `onnx/` once its ONNX files went. */
async function removeEmptyFolders(root: string, files: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const rel of files) for (let d = dirname(rel); d !== '.' && d !== ''; d = dirname(d)) folders.add(d);
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    await rmdir(join(root, folder)).catch(() => undefined); // not empty (the user's files) or gone: kept as it is
  }
}

function listed(names: readonly string[]): string {
  return names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length} in all)` : '');
}

function notFound(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
