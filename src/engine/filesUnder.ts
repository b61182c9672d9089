// Lists what an export or a job folder holds, for the result a user (CLI `--json`, the extension's message) reads.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file under `dir` (anything not a folder, links included), as sorted paths relative to it with `/`
 * (`onnx/model.onnx`).
 * @throws the fs error of a folder that cannot be read
 */
export async function filesUnder(dir: string): Promise<string[]> {
  return (await filesBelow(dir, '')).sort();
}

async function filesBelow(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesBelow(dir, rel)));
    else out.push(rel);
  }
  return out;
}
