// "Fine-tune classifier" against a fake engine: the run/start config, what a user sees for a good dataset,
// a broken one, and in Restricted Mode.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EventEmitter, quickPickAnswers, shownMessages, shownQuickPicks, workspace, type FakeDiagnosticCollection } from '../fakeVscode';
import { fineTuneCommand, toTrainConfig } from '../../../../src/extension/commands/fineTuneCommand';
import { fineTuneServices } from './fineTuneServices';
import type { DatasetReport } from '../../../../src/protocol/dataset';
import type { TrainConfigInput } from '../../../../src/protocol/runs';
import type { RunProgress, RunStateChange } from '../../../../src/protocol/train';

const hyperparameters = { epochs: 4, batchSize: 8, learningRate: null, maxLength: 64, patience: 0, validationSplit: 0.2, classWeights: 'none' };

test('the run/start config carries the choice, the backend (with the fallback the setting promises) and the runs folder; an unset learning rate is left to the engine', () => {
  const config = toTrainConfig('/w/train.jsonl', { model: 'ngram', mode: 'full', hyperparameters, customised: true }, 'wasm', '/w/.classifier-workbench/runs');
  assert.deepEqual(config, {
    dataset: '/w/train.jsonl', model: 'ngram', mode: 'full', backend: 'wasm', backendFallback: true, runsDir: '/w/.classifier-workbench/runs',
    epochs: 4, batchSize: 8, maxLength: 64, patience: 0, validationSplit: 0.2,
  });
  assert.equal(toTrainConfig('/d.jsonl', { model: 'm', mode: 'lora', hyperparameters: { ...hyperparameters, learningRate: 1e-4 }, customised: true }, 'auto', '/r').learningRate, 1e-4);
});

test('a relative model folder (the defaultModel setting) reaches run/start absolute, from the workspace folder; Hub ids as they are', () => {
  const model = (m: string, folder?: string) => toTrainConfig('/w/data/train.jsonl', { model: m, mode: 'full', hyperparameters, customised: true }, 'auto', '/r', {}, folder).model;
  assert.equal(model('./models/bert', '/w'), '/w/models/bert');
  assert.equal(model('../shared/models/bert-tiny-random', '/w'), '/shared/models/bert-tiny-random');
  const workspaceFolder = mkdtempSync(join(tmpdir(), 'cw-ws-'));
  try {
    mkdirSync(join(workspaceFolder, 'models', 'bert'), { recursive: true });
    assert.equal(model('models/bert', workspaceFolder), join(workspaceFolder, 'models', 'bert'), 'an org/name-shaped folder of the workspace is that folder');
  } finally {
    rmSync(workspaceFolder, { recursive: true, force: true });
  }
  assert.equal(model('prajjwal1/bert-tiny', '/w'), 'prajjwal1/bert-tiny');
  assert.equal(model('ngram', '/w'), 'ngram');
  assert.equal(model('/abs/bert', '/w'), '/abs/bert');
});

test('class weights reach run/start: balanced as it is, a relative file from the workspace folder, none left out', () => {
  const withWeights = (classWeights: string, folder?: string) => toTrainConfig('/w/data/train.jsonl', { model: 'ngram', mode: 'full', hyperparameters: { ...hyperparameters, classWeights }, customised: true }, 'auto', '/r', {}, folder).classWeights;
  assert.equal(withWeights('balanced', '/w'), 'balanced');
  assert.equal(withWeights('weights/cw.json', '/w'), '/w/weights/cw.json');
  assert.equal(withWeights('cw.json'), '/w/data/cw.json', 'no workspace folder: next to the dataset');
  assert.equal(withWeights('/abs/cw.json', '/w'), '/abs/cw.json');
  assert.equal(withWeights('none', '/w'), undefined);
});


process.env.HF_HUB_CACHE = '/nonexistent/hf-cache';
const histogram = { edges: [0, 1], counts: [0], min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
function inspection(trainable: boolean): DatasetReport {
  return {
    file: '/w/train.jsonl', bytes: 10, lines: 4, exampleCount: trainable ? 3 : 0, fields: null, labels: [], labelCounts: [],
    textLength: histogram, tokenLength: histogram, tokenLengthSource: 'wordEstimate', duplicateTexts: 0, conflictingTexts: 0,
    problems: [{ kind: 'invalidJson', severity: 'error', file: '/w/train.jsonl', line: 2, column: 5, message: 'Line 2 is not valid JSON.', hint: 'Check the quotes.' }],
    problemCounts: [{ kind: 'invalidJson', severity: 'error', count: 1 }], problemLimitPerKind: 20, siblingFiles: [],
    trainable, notTrainableReason: trainable ? undefined : 'no line yields a usable example', elapsedMs: 1,
  };
}

function services(report: DatasetReport) {
  const progress = new EventEmitter<RunProgress>();
  const states = new EventEmitter<RunStateChange>();
  const started: TrainConfigInput[] = [];
  const requests: unknown[] = [];
  const engine = {
    request: async (type: { method: string }, params: unknown) => {
      requests.push(params);
      // The defaults step asks for a recommendation (its own tests: fineTuneDefaults.test.ts); here the n-gram model.
      return type.method === 'model/recommend' ? { model: 'ngram', source: 'builtin', mode: 'full', reason: 'offline (HF_HUB_OFFLINE is set): the built-in n-gram model, which needs no download' } : report;
    },
    startRun: async (config: TrainConfigInput) => {
      started.push(config);
      // The engine reports progress and the end after answering run/start.
      setImmediate(() => {
        progress.fire({ runId: 'r1', epoch: 1, epochs: 3, step: 5, totalSteps: 10, loss: 0.7, learningRate: 1e-3, samplesPerSecond: 50, etaSeconds: 3 });
        states.fire({ runId: 'r1', state: 'completed' });
      });
      return { runId: 'r1', runDir: '/w/.classifier-workbench/runs/r1', state: 'queued' as const };
    },
    onProgress: progress.event,
    onRunState: states.event,
  };
  const s = fineTuneServices(engine, '/w/.classifier-workbench/runs');
  return { s, started, requests, collection: s.datasetProblems as unknown as FakeDiagnosticCollection };
}

test('a trainable dataset: one Enter on "Start with defaults" starts a run with the settings, followed to completion', async () => {
  const { s, started, collection } = services(inspection(true));
  quickPickAnswers.push('defaults');
  await fineTuneCommand(s, vscode.Uri.file('/w/train.jsonl'));
  assert.equal(shownQuickPicks.at(-1)?.items[0].id, 'defaults');
  assert.deepEqual(started, [{
    dataset: '/w/train.jsonl', model: 'ngram', mode: 'full', backend: 'auto', backendFallback: true, runsDir: '/w/.classifier-workbench/runs',
    maxLength: 128, patience: 2, validationSplit: 0.1,
  }], 'epochs, batch size and learning rate are left to the engine default of the model');
  assert.equal(collection.get(vscode.Uri.file('/w/train.jsonl'))?.[0].range.start.line, 1, 'skipped lines still reach the Problems panel');
  assert.ok(shownMessages.some((m) => m.message === 'Run r1 completed.' && m.items.includes('Open dashboard')));
});

test('a dataset training cannot use is refused with the reason and the line, and nothing starts', async () => {
  const { s, started, collection } = services(inspection(false));
  await fineTuneCommand(s, vscode.Uri.file('/w/train.jsonl'));
  assert.deepEqual(started, []);
  const refusal = shownMessages.at(-1);
  assert.equal(refusal?.level, 'error');
  assert.equal(refusal?.message, 'Cannot fine-tune on train.jsonl: no line yields a usable example. Problems: 1 × invalid json (first at line 2).');
  assert.deepEqual(refusal?.items, ['Open file at line', 'Show problems']);
  const [diagnostic] = collection.get(vscode.Uri.file('/w/train.jsonl')) ?? [];
  assert.equal(diagnostic.range.start.line, 1);
  assert.equal(diagnostic.range.start.character, 4);
});

test('Restricted Mode: fine-tuning is refused before the engine is asked anything', async () => {
  const { s, started, requests } = services(inspection(true));
  workspace.isTrusted = false;
  try {
    await fineTuneCommand(s, vscode.Uri.file('/w/train.jsonl'));
  } finally {
    workspace.isTrusted = true;
  }
  assert.deepEqual(requests, []);
  assert.deepEqual(started, []);
  assert.match(shownMessages.at(-1)?.message ?? '', /^Fine-tuning is disabled in Restricted Mode/);
});

test('the dataset pick list puts training files first: a validation or test split is never the preselected first item', async () => {
  const { datasetPickItems } = await import('../../../../src/extension/commands/resolveDataset');
  const uris = ['/w/a/test.jsonl', '/w/a/train.jsonl', '/w/b/dev.csv', '/w/b/emotion_val.jsonl', '/w/c/latest.jsonl'].map((p) => vscode.Uri.file(p));
  const items = datasetPickItems(uris, (u) => u.fsPath.slice(3));
  const rows = items.map((i) => (i.kind === vscode.QuickPickItemKind.Separator ? `--${i.label}` : i.description));
  assert.deepEqual(rows, ['a/train.jsonl', 'c/latest.jsonl', '--Validation splits', 'b/dev.csv', 'b/emotion_val.jsonl', '--Test splits', 'a/test.jsonl']);
});
