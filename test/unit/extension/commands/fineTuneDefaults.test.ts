// The defaults step of "Fine-tune classifier" against the local Hub test server, with the engine library answering
// `dataset/inspect` and `model/recommend` in-process: reachable (a recommended model with download size and
// expected time under "Start with defaults", the n-gram model one click away, nothing downloaded before the
// start) and unreachable (the n-gram model, saying why in one line). A configured default model is used as it is.
import '../useFakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { configValues, EventEmitter, quickPickAnswers, shownQuickPicks } from '../fakeVscode';
import { fineTuneCommand } from '../../../../src/extension/commands/fineTuneCommand';
import { fineTuneServices } from './fineTuneServices';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { recommendModel } from '../../../../src/engine/recommend/recommendModel';
import type { DatasetInspectParams } from '../../../../src/protocol/datasetInspect';
import type { ModelRecommendParams } from '../../../../src/protocol/modelRecommendation';
import type { TrainConfigInput } from '../../../../src/protocol/runs';
import type { RunProgress, RunStateChange } from '../../../../src/protocol/train';
import { startHubServer, type HubServer } from '../../../helpers/hubServer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const test = testsNeeding(shared('models/bert-tiny-random'));
const repo = 'google/bert_uncased_L-2_H-128_A-2';

interface ShownItem { id?: string; label: string; description?: string; detail?: string }

function workspaceWithData(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-defaults-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const labels = ['billing', 'login', 'shipping'];
  writeFileSync(join(dir, 'train.jsonl'), `${Array.from({ length: 120 }, (_, i) => JSON.stringify({ text: `message ${i} about my account and the order`, label: labels[i % 3] })).join('\n')}\n`);
  return join(dir, 'train.jsonl');
}

/** Services whose engine is the library itself, pointed at `endpoint`, and which record the run it is asked to start. */
function services(endpoint: string, cacheDir: string) {
  const started: TrainConfigInput[] = [];
  const states = new EventEmitter<RunStateChange>();
  const engine = {
    request: async (type: { method: string }, params: unknown) => {
      if (type.method === 'dataset/inspect') {
        const { path, ...options } = params as DatasetInspectParams;
        return inspectDataset(path, options);
      }
      if (type.method === 'model/recommend') {
        const { path, ...options } = params as ModelRecommendParams;
        // The engine process's environment, here passed in; the cpu backend keeps the product probe light.
        return recommendModel(path, { ...options, backend: 'cpu', env: { HF_ENDPOINT: endpoint, HF_HUB_CACHE: cacheDir } });
      }
      throw new Error(`unexpected ${type.method}`);
    },
    startRun: async (config: TrainConfigInput) => {
      started.push(config);
      setImmediate(() => states.fire({ runId: 'r1', state: 'completed' }));
      return { runId: 'r1', runDir: '/r/r1', state: 'queued' as const };
    },
    onProgress: new EventEmitter<RunProgress>().event,
    onRunState: states.event,
  };
  const s = fineTuneServices(engine, '/r');
  return { s, started };
}

async function hub(t: { after(fn: () => Promise<void>): void }): Promise<HubServer> {
  const server = await startHubServer({ modelDir: sharedPath('models', 'bert-tiny-random'), repo });
  t.after(() => server.close());
  return server;
}

const defaultsItems = (): ShownItem[] => (shownQuickPicks.at(-1)?.items ?? []) as ShownItem[];

test('reachable Hub: "Start with defaults" proposes the recommended model with its download size and expected time; one click trains it', async (t) => {
  const file = workspaceWithData(t);
  const server = await hub(t);
  const { s, started } = services(server.url, join(file, '..', 'no-cache'));
  quickPickAnswers.push('defaults');
  await fineTuneCommand(s, vscode.Uri.file(file));
  const [first, second] = defaultsItems();
  assert.equal(first.id, 'defaults');
  assert.match(first.description ?? '', new RegExp(`^${repo} · Full fine-tuning`));
  assert.match(first.detail ?? '', /^Recommended: \$\(cloud-download\) \d+\.\d MB download · training ≈ \d+ (s|min) here \(estimate\) · sized for 120 examples, 3 labels, ~\d+ tokens · \d+ cores, cpu\. Nothing is downloaded until you start\.$/);
  assert.deepEqual([second.id, second.label], ['defaults-ngram', '$(zap) Start with the built-in n-gram model']);
  assert.equal(started.length, 1);
  assert.equal(started[0].model, repo);
  assert.equal(started[0].mode, 'full');
  // The proposal came from the listing and config.json: no weights were fetched before the run started.
  assert.deepEqual(server.requests.filter((q) => /\.safetensors$|^\/lfs-storage\//.test(q.path)), []);
});

test('reachable Hub: the n-gram model is one click away', async (t) => {
  const file = workspaceWithData(t);
  const server = await hub(t);
  const { s, started } = services(server.url, join(file, '..', 'no-cache'));
  quickPickAnswers.push('defaults-ngram');
  await fineTuneCommand(s, vscode.Uri.file(file));
  assert.deepEqual(started.map((c) => [c.model, c.mode]), [['ngram', 'full']]);
});

test('unreachable Hub: "Start with defaults" is the n-gram model, saying why in one line', async (t) => {
  const file = workspaceWithData(t);
  const server = await hub(t);
  await server.close();
  const { s, started } = services(server.url, join(file, '..', 'no-cache'));
  quickPickAnswers.push('defaults');
  await fineTuneCommand(s, vscode.Uri.file(file));
  const items = defaultsItems();
  assert.match(items[0].description ?? '', /^ngram · built-in/);
  assert.match(items[0].detail ?? '', /^\$\(info\) The Hugging Face Hub cannot be used: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); .*the built-in n-gram model needs no download\.$/);
  assert.ok(!items.some((i) => i.id === 'defaults-ngram'), 'no second n-gram start when the default already is one');
  assert.deepEqual(started.map((c) => c.model), ['ngram']);
});

test('a configured default model is used as it is: the Hub is not asked', async (t) => {
  const file = workspaceWithData(t);
  const server = await hub(t);
  configValues['classifierWorkbench.defaultModel'] = 'ngram';
  t.after(() => delete configValues['classifierWorkbench.defaultModel']);
  const { s, started } = services(server.url, join(file, '..', 'no-cache'));
  quickPickAnswers.push('defaults');
  await fineTuneCommand(s, vscode.Uri.file(file));
  assert.equal(defaultsItems()[0].detail, undefined);
  assert.deepEqual(server.requests, []);
  assert.deepEqual(started.map((c) => c.model), ['ngram']);
});
