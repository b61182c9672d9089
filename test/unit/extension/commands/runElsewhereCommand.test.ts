import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Uri, answerNextMessage, inputBoxAnswers, quickPickAnswers, shownMessages, shownQuickPicks } from '../fakeVscode';
import { defaultJobFolder, importRunFolderCommand, jobFolderProblem, runElsewhere, runElsewhereFromRunCommand } from '../../../../src/extension/commands/runElsewhereCommand';
import type { WorkbenchServices } from '../../../../src/extension/commands/workbenchServices';
import type { JobExportParams, RunImportParams } from '../../../../src/protocol/remoteJob';
import { RunsTreeProvider } from '../../../../src/extension/views/runsTree';
import type { RunRecord } from '../../../../src/extension/views/runFolderReader';

function services(records: RunRecord[] = []) {
  const exports: JobExportParams[] = [];
  const imports: RunImportParams[] = [];
  const opened: string[] = [];
  const s = {
    runsTree: new RunsTreeProvider(async () => records),
    engine: {
      exportJob: async (p: JobExportParams) => (exports.push(p), { outDir: p.outDir, runId: 'r1', resultDir: join(p.outDir, 'results', 'r1'), files: ['job.json'], processes: (p.gpus || 1) * (p.nodes ?? 1), counts: { train: 8, validation: 1, test: 1 } }),
      importRun: async (p: RunImportParams) => (imports.push(p), { runId: 'r1', runDir: '/data/.classifier-workbench/runs/r1', inPlace: false, fingerprint: 'f'.repeat(64) }),
    },
    panels: { openDashboard: (dir: string) => void opened.push(dir) },
  } as unknown as WorkbenchServices;
  return { s, exports, imports, opened };
}

test('the suggested job folder is visible, in the workspace folder, named after the data, the model and the time', () => {
  const when = new Date(2026, 10, 30, 21, 45);
  const folder = defaultJobFolder('/w/data/emotion/train.jsonl', '/models/bert-base-uncased/', '/w', when);
  assert.equal(folder, join('/w', 'gpu-jobs', 'emotion-bert-base-uncased-20261130-2145'));
  assert.ok(!folder.split(sep).some((part) => part.startsWith('.')), 'no hidden folder on the way');
  assert.equal(defaultJobFolder('/d/tickets-train.jsonl', 'google/electra-small', undefined, when), join('/d', 'gpu-jobs', 'tickets-electra-small-20261130-2145'));
});

test('a job folder must be new or empty: a non-empty folder and a file are refused with why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-jobfolder-'));
  try {
    assert.equal(jobFolderProblem(join(dir, 'new')), undefined);
    mkdirSync(join(dir, 'empty'));
    assert.equal(jobFolderProblem(join(dir, 'empty')), undefined);
    writeFileSync(join(dir, 'empty', '..', 'file.txt'), 'x');
    assert.match(jobFolderProblem(join(dir, 'file.txt'))!, /file/);
    assert.match(jobFolderProblem(dir)!, /not empty.*nothing is overwritten/);
    assert.match(jobFolderProblem('  ')!, /Give a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"Run elsewhere…" asks where it trains and which folder, and has the engine write the job there', async () => {
  const { s, exports } = services();
  quickPickAnswers.push('2 GPUs');
  const config = { dataset: '/w/data/train.jsonl', model: 'bert-base-uncased', mode: 'lora' as const, epochs: 4 };
  const job = await runElsewhere(s, config, '/w');
  assert.ok(shownQuickPicks.at(-1)!.items.some((i) => i.label === 'CPU only'));
  assert.equal(exports.length, 1);
  assert.deepEqual({ ...exports[0], outDir: undefined }, { config, outDir: undefined, gpus: 2, nodes: 1 });
  assert.match(exports[0]!.outDir, /^\/w\/gpu-jobs\/data-bert-base-uncased-\d{8}-\d{4}$/, 'the suggested folder, accepted');
  assert.equal(job?.processes, 2);
  assert.match(shownMessages.at(-1)!.message, /Wrote the training job r1 .* 2 processes\) to \/w\/gpu-jobs\/.*Run \.\/run\.sh there/);

  quickPickAnswers.push(undefined);
  assert.equal(await runElsewhere(s, config, '/w'), undefined, 'Escape in the first step writes nothing');
  quickPickAnswers.push('1 GPU');
  inputBoxAnswers.push(undefined);
  assert.equal(await runElsewhere(s, config, '/w'), undefined, 'Escape in the folder step writes nothing');
  assert.equal(exports.length, 1);
});

test('"Run elsewhere…" on a run exports its recorded configuration (not its runs folder)', async () => {
  const record: RunRecord = { runId: 'a', runDir: '/runs/a', state: 'completed', config: { dataset: '/w/train.jsonl', model: 'scratch', epochs: 2, runsDir: '/runs' }, epochs: [] };
  const { s, exports } = services([record]);
  quickPickAnswers.push('CPU only');
  inputBoxAnswers.push('/w/jobs/a');
  await runElsewhereFromRunCommand(s, 'a');
  assert.deepEqual(exports, [{ config: { dataset: '/w/train.jsonl', model: 'scratch', epochs: 2 }, outDir: '/w/jobs/a', gpus: 0, nodes: 1 }]);
});

test('"Import run folder…" imports the folder through the engine and offers its dashboard', async () => {
  const { s, imports, opened } = services();
  answerNextMessage('Open dashboard');
  await importRunFolderCommand(s, Uri.file('/jobs/x/results/r1'));
  assert.deepEqual(imports, [{ folder: '/jobs/x/results/r1' }]);
  assert.match(shownMessages.at(-1)!.message, /Imported run r1: its data fingerprint matches the data here/);
  assert.deepEqual(opened, ['/data/.classifier-workbench/runs/r1']);
});
