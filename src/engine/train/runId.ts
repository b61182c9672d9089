// Run ids: sortable by time, readable (what was trained on what), unique within a runs folder.
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';

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
  await mkdir(runsDir, { recursive: true });
  for (let n = 1; ; n++) {
    const id = n === 1 ? runId : `${runId}-${n}`;
    const runDir = join(runsDir, id);
    try {
      await mkdir(runDir);
      return { runId: id, runDir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
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
