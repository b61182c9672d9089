// "Run elsewhere…": the run the fine-tune dialogue (or an existing run) describes, written by the engine as a
// Hugging Face Trainer + accelerate job folder (`job/export`) for a GPU host, a cluster or a notebook; and
// "Import run folder…", which brings the folder train.py wrote back as a run (`run/import`).
import * as vscode from 'vscode';
import { revealFolder } from '../revealFolder';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { TrainConfigInput } from '../../protocol/runs';
import type { JobExportResult } from '../../protocol/remoteJob';
import { requireWorkspaceTrust } from '../trust/workspaceTrust';
import { resolveRun } from './resolveRun';
import { showFailure } from './showFailure';
import type { WorkbenchServices } from './workbenchServices';
import { workspaceFolderOf } from './workspaceFolderOf';

/** Where the job trains, as the topology quick pick offers it: GPUs per machine × machines. */
export interface TopologyChoice {
  label: string;
  description: string;
  gpus: number;
  nodes: number;
}

/** The machines a job can be written for; a function so the descriptions are translated when shown. */
export const topologyChoices = (): readonly TopologyChoice[] => [
  { label: vscode.l10n.t('1 GPU'), description: vscode.l10n.t('one process; also a notebook (Colab, Kaggle)'), gpus: 1, nodes: 1 },
  { label: vscode.l10n.t('{0} GPUs', 2), description: vscode.l10n.t('one machine, data parallel'), gpus: 2, nodes: 1 },
  { label: vscode.l10n.t('{0} GPUs', 4), description: vscode.l10n.t('one machine, data parallel'), gpus: 4, nodes: 1 },
  { label: vscode.l10n.t('{0} GPUs', 8), description: vscode.l10n.t('one machine, data parallel'), gpus: 8, nodes: 1 },
  { label: vscode.l10n.t('{0} machines × {1} GPUs', 2, 8), description: vscode.l10n.t('run.sh on each with MACHINE_RANK and MAIN_PROCESS_IP'), gpus: 8, nodes: 2 },
  { label: vscode.l10n.t('CPU only'), description: vscode.l10n.t('one process, no GPU'), gpus: 0, nodes: 1 },
];

/**
 * The suggested job folder: visible (not under the hidden runs folder) in the workspace folder, else beside the
 * data, named after the data, the model and the time: `<folder>/gpu-jobs/emotion-bert-base-uncased-20261130-2145`.
 */
export function defaultJobFolder(dataset: string, model: string | undefined, workspaceFolder: string | undefined, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  const data = slug(basename(dataset, extname(dataset)).replace(/(^|[-_.])train$/i, '')) || slug(basename(dirname(dataset))) || 'data';
  const modelName = model ? slug(basename(model.replace(/[\\/]+$/, ''))) : '';
  return join(workspaceFolder ?? dirname(dataset), 'gpu-jobs', [data, modelName, stamp].filter(Boolean).join('-'));
}

/** Why `folder` cannot take the job (it must be new or empty: nothing the user owns is overwritten), or undefined. */
export function jobFolderProblem(folder: string): string | undefined {
  if (!folder.trim()) return vscode.l10n.t('Give a folder for the job.');
  if (!existsSync(folder)) return undefined;
  if (!statSync(folder).isDirectory()) return vscode.l10n.t('This is a file: give a new folder.');
  return readdirSync(folder).length > 0 ? vscode.l10n.t('This folder is not empty; give a new or empty folder (nothing is overwritten).') : undefined;
}

/**
 * Asks where the job trains and which folder to write, has the engine write the job, and offers its README.
 * @param config the run as `run/start` would take it.
 */
export async function runElsewhere(s: WorkbenchServices, config: TrainConfigInput, workspaceFolder: string | undefined): Promise<JobExportResult | undefined> {
  const topology = await vscode.window.showQuickPick(topologyChoices().map((t) => ({ ...t })), {
    title: vscode.l10n.t('Run elsewhere (1/2): where will it train?'),
    placeHolder: vscode.l10n.t('The job runs Hugging Face Trainer through accelerate: one process per GPU'),
  });
  if (!topology) return undefined;
  const outDir = await vscode.window.showInputBox({
    title: vscode.l10n.t('Run elsewhere (2/2): the job folder'),
    prompt: vscode.l10n.t('A new folder for the job (splits, train.py, requirements, accelerate config, run.sh, README): copy it to the GPU host'),
    value: defaultJobFolder(config.dataset, config.model, workspaceFolder),
    validateInput: jobFolderProblem,
    ignoreFocusOut: true,
  });
  if (!outDir) return undefined;
  try {
    const job = await s.engine.exportJob({ config, outDir, gpus: topology.gpus, nodes: topology.nodes });
    const openReadme = vscode.l10n.t('Open README');
    const reveal = vscode.l10n.t('Reveal folder');
    void vscode.window.showInformationMessage(
      job.processes !== 1
        ? vscode.l10n.t('Wrote the training job {0} ({1} train, {2} validation, {3} test examples; {4} processes) to {5}. Run ./run.sh there, then import {6} with "Import run folder…".', job.runId, job.counts.train, job.counts.validation, job.counts.test, job.processes, job.outDir, join('results', job.runId))
        : vscode.l10n.t('Wrote the training job {0} ({1} train, {2} validation, {3} test examples; 1 process) to {4}. Run ./run.sh there, then import {5} with "Import run folder…".', job.runId, job.counts.train, job.counts.validation, job.counts.test, job.outDir, join('results', job.runId)),
      openReadme, reveal,
    ).then(async (choice) => {
      if (choice === openReadme) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(join(job.outDir, 'README.md')));
      if (choice === reveal) await revealFolder(job.outDir);
    });
    return job;
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not write the training job'), error);
    return undefined;
  }
}

/** "Run elsewhere…" on a run: the same configuration as a job (the run's own run.json config). */
export async function runElsewhereFromRunCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('exportJob'))) return;
  const run = await resolveRun(arg, s.runsTree, ['completed', 'failed', 'cancelled', 'interrupted', 'running', 'queued'], 'run elsewhere');
  if (!run) return;
  const { runsDir: _runsDir, ...config } = run.config;
  if (typeof config.dataset !== 'string') return void vscode.window.showErrorMessage(vscode.l10n.t('Run {0} records no dataset in its run.json; start "Run elsewhere…" from the fine-tune dialogue instead.', run.runId));
  await runElsewhere(s, config as TrainConfigInput, workspaceFolderOf(config.dataset));
}

/** "Import run folder…": a result folder trained elsewhere becomes a run, once its data fingerprint matches. */
export async function importRunFolderCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('importRun'))) return;
  const given = arg instanceof vscode.Uri ? arg : undefined;
  const picked = given ? [given] : await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Import run'),
    title: vscode.l10n.t('Import a run folder trained elsewhere (an exported job\'s results/<run id>)'),
  });
  if (!picked?.length) return;
  try {
    const imported = await s.engine.importRun({ folder: picked[0]!.fsPath });
    await s.runsTree.refresh();
    const openDashboard = vscode.l10n.t('Open dashboard');
    const choice = await vscode.window.showInformationMessage(imported.inPlace
      ? vscode.l10n.t('Checked run {0}: its data fingerprint matches the data here.', imported.runId)
      : vscode.l10n.t('Imported run {0}: its data fingerprint matches the data here.', imported.runId), openDashboard);
    if (choice) s.panels.openDashboard(imported.runDir);
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not import the run folder'), error);
  }
}
