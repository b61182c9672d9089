// "Run elsewhere…" (job/export) and "Import run folder…" (run/import) refusals reach VS Code through showFailure: there
// they name the command's steps and the Fine-tune dialogue, never a CLI flag; the CLI (export-job, runs import) keeps
// its flags. Each case runs the real engine function up to its refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTrainingJob } from '../../../../src/engine/remoteJob/exportJob';
import { importRunFolder } from '../../../../src/engine/remoteJob/importRun';
import { EngineError } from '../../../../src/engine/errors';

const FLAG = /(^|[\s(])--[a-z]/;

/** The refusal `promise` ends with, checked to be an EngineError worded for both surfaces. */
async function refusal(promise: Promise<unknown>): Promise<{ cli: string; vscode: string }> {
  const error = await promise.then(() => assert.fail('refused'), (e: unknown) => e);
  assert.ok(error instanceof EngineError, String(error));
  assert.ok(error.editorMessage, `no VS Code wording for: ${error.message}`);
  assert.doesNotMatch(error.editorMessage, FLAG, 'VS Code names no CLI flag');
  return { cli: error.message, vscode: error.editorMessage };
}

async function withFolder(body: (dir: string, train: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-job-wording-'));
  try {
    const train = join(dir, 'train.jsonl');
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ text: `text number ${i} ${i % 2 ? 'good' : 'bad'}`, label: i % 2 ? 'pos' : 'neg' }));
    await writeFile(train, `${lines.join('\n')}\n`);
    await body(dir, train);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('Run elsewhere: a used job folder names the job folder step in VS Code, --out on the CLI', () => withFolder(async (dir, train) => {
  const used = join(dir, 'used');
  await mkdir(used);
  await writeFile(join(used, 'keep.txt'), 'mine');
  const full = await refusal(exportTrainingJob({ dataset: train, model: 'scratch' }, { out: used }));
  assert.match(full.cli, /give --out a new folder/);
  assert.match(full.vscode, /make the job folder of "Run elsewhere…" a new folder \(or an empty one\)/);
  const file = await refusal(exportTrainingJob({ dataset: train, model: 'scratch' }, { out: join(used, 'keep.txt') }));
  assert.match(file.cli, /this is a file: give --out/);
  assert.match(file.vscode, /this is a file: make the job folder of "Run elsewhere…"/);
}));

test('Run elsewhere: the n-gram model is refused pointing at the Fine-tune dialogue\'s base model in VS Code, --model on the CLI', () => withFolder(async (dir, train) => {
  const { cli, vscode } = await refusal(exportTrainingJob({ dataset: train, model: 'ngram' }, { out: join(dir, 'job') }));
  assert.match(cli, /export-job is for transformer models \(--model a folder/);
  assert.match(vscode, /"Run elsewhere…" is for transformer models: pick one as the base model in the Fine-tune dialogue/);
}));

test('Run elsewhere: a batch that does not split over the GPUs names "Batch size" and the GPU choice in VS Code, --batch on the CLI', () => withFolder(async (dir, train) => {
  const { cli, vscode } = await refusal(exportTrainingJob({ dataset: train, model: 'scratch', batchSize: 10 }, { out: join(dir, 'job'), topology: { gpus: 4, nodes: 1 } }));
  assert.match(cli, /batch size 10 does not split over 4 processes .*give --batch a multiple of 4/);
  assert.match(vscode, /pick a number of GPUs that divides 10 in "Run elsewhere…", or set "Batch size" in the Fine-tune dialogue's "Customise hyperparameters…" step to a multiple of 4/);
}));

test('Run elsewhere: several machines without GPUs name the GPU choice in VS Code, --gpus on the CLI', () => withFolder(async (dir, train) => {
  const { cli, vscode } = await refusal(exportTrainingJob({ dataset: train, model: 'scratch' }, { out: join(dir, 'job'), topology: { gpus: 0, nodes: 2 } }));
  assert.match(cli, /give --gpus N/);
  assert.match(vscode, /pick a choice with GPUs in "Run elsewhere…"/);
}));

/** A finished result folder as train.py writes it, for `dataset` with the given fingerprint. */
async function resultFolder(dir: string, dataset: string, fingerprint: string): Promise<string> {
  const runDir = join(dir, 'results', '20261201-0900-train-scratch');
  await mkdir(runDir, { recursive: true });
  const now = new Date().toISOString();
  await writeFile(join(runDir, 'run.json'), JSON.stringify({
    runId: '20261201-0900-train-scratch', state: 'completed', config: { dataset, model: 'scratch' }, labels: ['neg', 'pos'], backend: null,
    dataset: { path: dataset, fingerprint, counts: { train: 32, validation: 4, test: 4 } }, model: null, createdAt: now, updatedAt: now,
    progress: { epoch: 1, step: 1, stepsPerEpoch: 1, epochs: 1 }, best: null, test: null,
  }));
  return runDir;
}

test('Import run folder: data that is not here asks VS Code users to put the file back, the CLI for --dataset', () => withFolder(async (dir) => {
  const gone = join(dir, 'moved', 'train.jsonl');
  const { cli, vscode } = await refusal(importRunFolder(await resultFolder(dir, gone, 'f'.repeat(64))));
  assert.match(cli, /give its path \(runs import <folder> --dataset <file\.jsonl>\)/);
  assert.match(vscode, /not on this machine at .*moved.train\.jsonl: put the data file back at that path, then run "Import run folder…" again/);
}));

test('Import run folder: different data asks VS Code users for the unchanged file at its path, the CLI for --dataset', () => withFolder(async (dir, train) => {
  const { cli, vscode } = await refusal(importRunFolder(await resultFolder(dir, train, '0'.repeat(64))));
  assert.match(cli, /trained on different data: .*import them with the data file they were trained on \(--dataset\), unchanged/);
  assert.match(vscode, /trained on different data: .*put the data file they were trained on, unchanged, at .*train\.jsonl, then run "Import run folder…" again/);
}));

test("the job's README (offered by \"Open README\" in VS Code) names Import run folder… beside the CLI's runs import", () => withFolder(async (dir, train) => {
  const { readFile } = await import('node:fs/promises');
  const job = await exportTrainingJob({ dataset: train, model: 'scratch', epochs: 1 }, { out: join(dir, 'job') });
  const readme = await readFile(join(job.outDir, 'README.md'), 'utf8');
  assert.match(readme, /classifier-workbench runs import results\//);
  assert.match(readme, /In VS Code, import it with \*\*Import run folder…\*\*/);
  assert.match(readme, /`runs import` \(and VS Code's \*\*Import run folder…\*\*\) recomputes the dataset fingerprint/);
}));
