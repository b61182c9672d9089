// Reads the raw files of a run folder (run.json, events.jsonl, metrics.json) for the extension's Runs tree and
// webviews, each of which maps them to what it shows. Tolerant of missing files because a queued or running run has
// only some of them. Paths: runPaths (./runRecord.ts); writers: src/engine/runs/, src/engine/train/.
import { readFile } from 'node:fs/promises';
import type { RunStateName } from '../../protocol/train';
import { runPaths } from './runRecord';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The states run.json may hold. */
export const RUN_STATE_NAMES: readonly RunStateName[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];

/** True when `v` is one of the states run.json may hold. */
export function isRunStateName(v: unknown): v is RunStateName {
  return RUN_STATE_NAMES.includes(v as RunStateName);
}

/**
 * The parsed content of a JSON file, or undefined when the file does not exist.
 * @throws Error naming the file when it cannot be read or parsed.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Could not read ${path}: ${(err as Error).message}`);
  }
}

/** The text of events.jsonl, or '' when it cannot be read (a queued run has no events yet). */
export async function readEventsText(runDir: string): Promise<string> {
  try {
    return await readFile(runPaths(runDir).events, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The events of events.jsonl, in file order: bare TrainEvents and `{time, event}` wrappers; lines that do not parse
 * (a torn last line) are skipped.
 * @param mightMatch cheap test on the raw line, to skip parsing the many lines a caller does not want.
 */
export function parseEventLines(eventsJsonl: string, mightMatch?: (line: string) => boolean): JsonObject[] {
  const events: JsonObject[] = [];
  for (const line of eventsJsonl.split('\n')) {
    if (!line.trim() || (mightMatch && !mightMatch(line))) continue;
    let v: unknown;
    try { v = JSON.parse(line); } catch { continue; }
    if (isJsonObject(v) && typeof v.type === 'string') events.push(v);
    else if (isJsonObject(v) && isJsonObject(v.event) && typeof v.event.type === 'string') events.push(v.event);
  }
  return events;
}

/**
 * For a run trained elsewhere (run.json `origin`) whose data was not yet checked here (no `imported` stamp, e.g. a
 * folder dropped into the runs folder): one line saying so and how to check it, for the engine's listings and the
 * Runs tree. Undefined for local and imported runs.
 */
export function uncheckedImportNote(runJson: JsonObject): string | undefined {
  const origin = runJson.origin;
  if (!isJsonObject(origin) || runJson.imported !== undefined) return undefined;
  const where = typeof origin.host === 'string' ? ` on ${origin.host}` : '';
  return `trained elsewhere${where}; its data is not yet checked against the data here: "Import run folder…" or \`classifier-workbench runs import <this folder>\``;
}
