// `export-job`: the same run as `train`, as a folder that trains with Hugging Face Trainer + accelerate on another
// machine (a GPU host, a cluster, a notebook) and writes its results as a run folder that `importRun` brings back.
// The config is resolved and the data split by the functions a local run uses (resolveTrainConfig, loadRunData,
// resolveObjective), so the split files are the local run's splits and job.json its configuration.
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, chmod, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { TrainConfigInput } from '../../protocol/runs';
import type { TrainConfig } from '../../protocol/train';
import { EngineErrorCodes } from '../../protocol/errors';
import type { ProblemType, SplitSource } from '../../common/runFolder/runRecord';
import { EngineError } from '../errors';
import { option, type MessageSurface } from '../../common/optionWording';
import type { Example, SplitName } from '../data/example';
import { resolveTrainConfig } from '../train/resolveTrainConfig';
import { loadRunData } from '../train/loadRunData';
import { resolveObjective } from '../train/classWeights';
import { makeRunId } from '../train/runId';
import { scratchModelDir } from '../models/bert/loadBertModel';
import { renderJobFiles } from './jobFiles';
import { filesUnder } from '../filesUnder';
import { ensureFolder } from '../atomicWrite';

/** job.json's `format` and `version`; train.py (cw_run_folder.load_job) refuses any other. */
export const JOB_FORMAT = 'classifier-workbench-job';
export const JOB_VERSION = 1;

/** Where and on how many devices the job runs. */
export interface JobTopology {
  /** GPUs per machine; 0 = CPU only (one process). */
  gpus: number;
  /** Machines. */
  nodes: number;
}

/** The content of job.json: everything train.py needs besides the split files and the base model. */
export interface JobDescription {
  format: typeof JOB_FORMAT;
  version: typeof JOB_VERSION;
  /** The id the result run gets (the run folder's name, as a local run's). */
  runId: string;
  createdAt: string;
  /** The resolved configuration, exactly as a local run's run.json records it. */
  config: TrainConfig;
  /** The label map: index = label id. */
  labels: string[];
  problemType: ProblemType;
  /** The loss's weights (`[K]`, label order), as the local run computes them from the training split. */
  objective: { summary: string; classWeights: number[] | null; posWeights: number[] | null };
  dataset: { path: string; fingerprint: string; counts: Record<SplitName, number>; splitSource: SplitSource };
  /** The split files, relative to the job folder. */
  splits: Record<SplitName, string>;
  /** The model to start from: a copy in the job folder (`folder`), or a Hub id; `fromConfig` = random weights (scratch). */
  model: { source: string; folder?: string; hubId?: string; revision?: string; fromConfig?: boolean };
  topology: JobTopology & { processes: number };
}

export interface ExportJobOptions {
  /** The folder to create; it must not exist, or be empty. */
  out: string;
  topology?: Partial<JobTopology>;
  /** The configured default model, used when the config names none (as `trainRun`). */
  defaultModel?: string;
  onNote?: (line: string) => void;
}

export interface ExportedJob {
  outDir: string;
  job: JobDescription;
  /** The files written, relative to `outDir`, sorted. */
  files: string[];
}

/** Files of another framework's weights that a PyTorch job never reads: not copied with the base model. */
const NOT_COPIED = new Set(['tf_model.h5', 'flax_model.msgpack', 'rust_model.ot', 'model.onnx', 'coreml']);

/**
 * Writes a training job folder for `input` (the options of `train`).
 * @returns the folder, job.json's content and the files written.
 * @throws EngineError (invalidOption) when `out` exists and is not an empty folder (nothing is overwritten), for the
 * n-gram model (nothing to scale out), for a topology whose process count does not divide the batch size; the
 * errors of `resolveTrainConfig` and `loadRunData` for bad options and data.
 */
export async function exportTrainingJob(input: TrainConfigInput, options: ExportJobOptions): Promise<ExportedJob> {
  const outDir = resolve(options.out);
  await refuseUnlessEmpty(outDir);
  const topology = checkTopology(options.topology);
  const config = await resolveTrainConfig(input, { onNote: options.onNote, defaultModel: options.defaultModel });
  if (config.model === 'ngram') {
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `the n-gram model trains in seconds on this machine and has no PyTorch counterpart: ${s === 'cli'
      ? 'export-job is for transformer models (--model a folder, a Hugging Face id, or scratch)'
      : '"Run elsewhere…" is for transformer models: pick one as the base model in the Fine-tune dialogue (a folder, a Hugging Face id, or scratch)'}`);
  }
  const processes = Math.max(1, topology.gpus) * topology.nodes;
  if (config.batchSize % processes !== 0) {
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `batch size ${config.batchSize} does not split over ${processes} processes (${topology.gpus} GPUs × ${topology.nodes} nodes): ${s === 'cli'
      ? `give --batch a multiple of ${processes}`
      : `pick a number of GPUs that divides ${config.batchSize} in "Run elsewhere…", or set ${option('batchSize', s)} to a multiple of ${processes}`}, so every process trains the same share of each batch`);
  }
  const { splits } = await loadRunData(config);
  const { objective, summary } = await resolveObjective(splits, config.classWeights);
  const runId = makeRunId(config.dataset, config.model);
  const model = await describeBaseModel(config);
  const job: JobDescription = {
    format: JOB_FORMAT, version: JOB_VERSION, runId, createdAt: new Date().toISOString(), config, labels: [...splits.labels],
    problemType: objective.problemType,
    objective: { summary, classWeights: objective.classWeights ? Array.from(objective.classWeights) : null, posWeights: objective.posWeights ? Array.from(objective.posWeights) : null },
    dataset: { path: config.dataset, fingerprint: splits.fingerprint, counts: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length }, splitSource: splits.splitSource },
    splits: { train: 'data/train.jsonl', validation: 'data/validation.jsonl', test: 'data/test.jsonl' },
    model: model.description,
    topology: { ...topology, processes },
  };

  // Written beside the destination and renamed into place, so a failed export leaves nothing half-made. A fresh
  // name (mkdtemp), never a fixed one removed first: that path could be anything, the user's included.
  await ensureFolder(dirname(outDir));
  const temp = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
  try {
    for (const name of ['train', 'validation', 'test'] as const) await writeTextFile(join(temp, job.splits[name]), splitFileText(splits[name]));
    await writeTextFile(join(temp, 'labels.json'), `${JSON.stringify({ id2label: Object.fromEntries(job.labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(job.labels.map((l, i) => [l, i])) }, null, 2)}\n`);
    await writeTextFile(join(temp, 'job.json'), `${JSON.stringify(job, null, 2)}\n`);
    for (const [name, text] of Object.entries(renderJobFiles(job))) await writeTextFile(join(temp, name), text);
    await chmod(join(temp, 'run.sh'), 0o755);
    for (const name of ['train.py', 'cw_run_folder.py']) await copyFile(join(remoteJobAssetsDir(), name), join(temp, name));
    if (model.copyFrom) await copyModelFolder(model.copyFrom, join(temp, model.description.folder!));
    if (existsSync(outDir)) await rmdir(outDir); // empty (checked above); rename cannot replace it otherwise on every OS
    await rename(temp, outDir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return { outDir, job, files: await filesUnder(outDir) };
}

/**
 * The text of one split file: one JSON line per example, `{"text", "label" | "labels", "file", "line"}`, in the
 * split's order (the order the fingerprint hashes), with the source file and 1-based line of each example.
 */
export function splitFileText(examples: readonly Example[]): string {
  return examples.map((e) => `${JSON.stringify({ text: e.text, ...(e.labels ? { labels: e.labels } : { label: e.label }), file: e.file, line: e.line })}\n`).join('');
}

/** The folder holding train.py and cw_run_folder.py: `assets/remote-job` of the source tree or the installed bundle. */
export function remoteJobAssetsDir(): string {
  const candidates = [join(__dirname, '..', '..', '..', 'assets', 'remote-job'), join(__dirname, '..', 'assets', 'remote-job')];
  const dir = candidates.find((d) => existsSync(join(d, 'train.py')));
  if (!dir) throw new EngineError(EngineErrorCodes.internal, 'the job templates (assets/remote-job) are missing from the installation; reinstall the extension');
  return dir;
}

async function refuseUnlessEmpty(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (!info) return;
  const newFolder = (s: MessageSurface) => `${s === 'cli' ? `give ${option('jobFolder', s)}` : `make ${option('jobFolder', s)}`} a new folder (or an empty one)`;
  if (!info.isDirectory()) throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `this is a file: ${newFolder(s)} for the job`, { file: outDir });
  if ((await readdir(outDir)).length > 0) {
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `this folder is not empty and nothing in it is overwritten: ${newFolder(s)} for the job`, { file: outDir });
  }
}

function checkTopology(t: Partial<JobTopology> = {}): JobTopology {
  const gpus = t.gpus ?? 1;
  const nodes = t.nodes ?? 1;
  if (!Number.isInteger(gpus) || gpus < 0) throw new EngineError(EngineErrorCodes.invalidOption, `option gpus must be a whole number ≥ 0 (GPUs per machine; 0 = CPU), got ${JSON.stringify(gpus)}`, { option: 'gpus' });
  if (!Number.isInteger(nodes) || nodes < 1) throw new EngineError(EngineErrorCodes.invalidOption, `option nodes must be a whole number ≥ 1 (machines), got ${JSON.stringify(nodes)}`, { option: 'nodes' });
  if (nodes > 1 && gpus === 0) {
    throw EngineError.worded(EngineErrorCodes.invalidOption, (s) => `several nodes need GPUs: ${s === 'cli' ? 'give --gpus N (GPUs per machine) with --nodes' : 'pick a choice with GPUs in "Run elsewhere…"'}`);
  }
  return { gpus, nodes };
}

/** How the job gets its starting weights: a local folder is copied into the job, a Hub id is downloaded there. */
async function describeBaseModel(config: TrainConfig): Promise<{ description: JobDescription['model']; copyFrom?: string }> {
  if (config.model === 'scratch') return { description: { source: 'scratch', folder: 'base-model', fromConfig: true }, copyFrom: scratchModelDir() };
  if ((await stat(config.model).catch(() => undefined))?.isDirectory()) return { description: { source: config.model, folder: 'base-model' }, copyFrom: config.model };
  return { description: { source: config.model, hubId: config.model, ...(config.revision ? { revision: config.revision } : {}) } };
}

/** The model folder's own files (config, weights, tokenizer), without other frameworks' weights. */
async function copyModelFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (NOT_COPIED.has(entry.name) || entry.name.startsWith('.')) continue;
    const source = join(from, entry.name);
    // Hub cache snapshots hold symbolic links to blobs: copy what they point to.
    if (!(await stat(source)).isFile()) continue;
    await copyFile(source, join(to, entry.name));
    // A read-only cache or shared folder would make the copy read-only too; the job folder is the user's to edit.
    await chmod(join(to, entry.name), 0o644);
  }
}

async function writeTextFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

