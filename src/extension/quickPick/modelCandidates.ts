// Where the fine-tune picker finds base models: recently used ones, model folders in the workspace, the local
// Hugging Face cache (`models--owner--name` layout), and the built-in models.
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelChoice } from './fineTuneFlow';
import { pathExists } from '../pathExists';
import { recommendedModels } from '../../protocol/recommendedModels';

export const builtinModels: ModelChoice[] = [
  { id: 'ngram', label: '$(zap) Built-in n-gram model', detail: 'Fast, no download, runs anywhere: a strong baseline in seconds.', group: 'builtin' },
  { id: 'scratch', label: '$(beaker) BERT from scratch', detail: 'Random BERT weights with the bundled vocabulary: no pretrained knowledge; for trying things out.', group: 'builtin' },
];

/**
 * The curated Hub checkpoints the engine can train as published (`models --recommended` lists the others too,
 * with why not), each with its family, size and languages.
 */
export function recommendedChoices(): ModelChoice[] {
  return recommendedModels.filter((m) => m.usable).map((m) => ({
    id: m.id,
    label: `$(star-empty) ${m.id}`,
    detail: `${m.family} · ${m.parametersM}M parameters · ≈${m.downloadMB >= 1000 ? `${(m.downloadMB / 1000).toFixed(1)} GB` : `${m.downloadMB} MB`} · ${m.languages} — ${m.note}`,
    group: 'recommended',
  }));
}

/** The hub cache folder the engine downloads into: the one resolver both sides use. */
export { hubCacheDir } from '../../common/hubCacheDir';

/**
 * Hub ids of the models in a Hugging Face cache folder that have at least one snapshot with a config.json.
 * @param cacheDir e.g. `~/.cache/huggingface/hub`; a missing folder yields [].
 */
export async function listCachedModels(cacheDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const name of names.filter((n) => n.startsWith('models--')).sort()) {
    let snapshots: string[] = [];
    try {
      snapshots = await readdir(join(cacheDir, name, 'snapshots'));
    } catch {
      continue;
    }
    for (const snap of snapshots) {
      if (await pathExists(join(cacheDir, name, 'snapshots', snap, 'config.json'))) {
        ids.push(name.slice('models--'.length).split('--').join('/'));
        break;
      }
    }
  }
  return ids;
}

/**
 * Model folders among the folders of the given config.json files: those with safetensors weights, or
 * with a tokenizer only (then the engine says what is missing when it loads them).
 */
export async function listModelFolders(configPaths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const dir of [...new Set(configPaths.map((p) => dirname(p)))].sort()) {
    const marks = await Promise.all(['model.safetensors', 'tokenizer.json', 'vocab.txt'].map((f) => pathExists(join(dir, f))));
    if (marks.some(Boolean)) folders.push(dir);
  }
  return folders;
}

/**
 * The picker's model list, each model once: recent first, then workspace folders, cache entries, the recommended
 * Hub models and built-ins.
 * @param relative turns a folder path into what the user sees (a workspace-relative path).
 */
export function gatherModelChoices(sources: { recent: string[]; workspaceFolders: string[]; cached: string[]; relative?: (path: string) => string }): ModelChoice[] {
  const seen = new Set<string>();
  const out: ModelChoice[] = [];
  const add = (c: ModelChoice) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    out.push(c);
  };
  const show = sources.relative ?? ((p: string) => p);
  const isPath = (id: string) => id.includes('/') && (id.startsWith('/') || /^[A-Za-z]:[\\/]/.test(id));
  for (const id of sources.recent) {
    const builtin = builtinModels.find((b) => b.id === id);
    add(builtin ? { ...builtin, group: 'recent' } : { id, label: `$(history) ${isPath(id) ? basename(id) : id}`, detail: isPath(id) ? show(id) : undefined, group: 'recent' });
  }
  for (const dir of sources.workspaceFolders) add({ id: dir, label: `$(folder) ${basename(dir)}`, detail: show(dir), group: 'workspace' });
  for (const id of sources.cached) add({ id, label: `$(archive) ${id}`, group: 'cache' });
  for (const r of recommendedChoices()) add(r);
  for (const b of builtinModels) add(b);
  return out;
}

/** Most recent first, without duplicates, at most `limit`. */
export function rememberModel(recent: readonly string[], model: string, limit = 5): string[] {
  return [model, ...recent.filter((m) => m !== model)].slice(0, limit);
}

/**
 * Why `folder` cannot be a base model, or undefined when it can. A Hugging Face model folder has a config.json (the
 * engine then reads its weights and tokenizer and says what else is missing). An exported n-gram model (ngram.json,
 * ngram.safetensors) is a trained model, not a base to fine-tune: the built-in n-gram model always starts fresh.
 * Checked when the user browses to a folder, so a wrong folder is refused at once, before a run is created.
 */
export async function modelFolderProblem(folder: string): Promise<string | undefined> {
  if (await pathExists(join(folder, 'config.json'))) return undefined;
  const holds = 'A base model folder holds config.json, model.safetensors and the tokenizer (tokenizer.json or vocab.txt), as `save_pretrained` writes it.';
  if (await pathExists(join(folder, 'ngram.json'))) {
    return `${basename(folder)} holds a trained n-gram model (ngram.json), which cannot be fine-tuned further: pick "Built-in n-gram model" to train one on this data, or a transformer folder. ${holds}`;
  }
  return `${basename(folder)} is not a model folder: it has no config.json. ${holds}`;
}
