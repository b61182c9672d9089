// labelIssues/find through the real engine process (dist/engine.js, as the extension spawns it): the report judges
// every line of a single file, progress arrives tagged with the job id, the run keeps label-issues.json, and
// cancelling the request stops the k-fold job. Needs `npm run build` first (npm test does it).
import { sharedPath, shared, testsNeeding } from '../helpers/requirements';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { EngineClient } from '../../src/extension/engine/engineClient';
import { EngineErrorCodes } from '../../src/protocol/errors';
import type { LabelIssuesProgress } from '../../src/protocol/labelIssues';
import { writeNoisyCopy } from './labelNoise';

const root = join(__dirname, '..', '..');
const enginePath = process.env.CLASSIFIER_WORKBENCH_ENGINE ?? join(root, 'dist', 'engine.js');
const emotion = sharedPath('data', 'emotion', 'train.jsonl');
const test = testsNeeding(shared('data/emotion/train.jsonl'));

function newClient(): EngineClient {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run npm run build first`);
  return new EngineClient({ process: { modulePath: enginePath }, output: { appendLine: () => undefined }, clientName: 'test' });
}

test('labelIssues/find judges the whole file, streams progress and keeps the report in the run', async () => {
  const noisy = await writeNoisyCopy(emotion, { fraction: 0.05, seed: 3, limit: 1500 });
  const runDir = mkdtempSync(join(tmpdir(), 'cw-li-run-'));
  const client = newClient();
  try {
    const progress: LabelIssuesProgress[] = [];
    const sub = client.onLabelIssuesProgress((p) => progress.push(p));
    const report = await client.findLabelIssues({ dataset: noisy.file, folds: 3, runDir, jobId: 'job-1' });
    sub.dispose();
    assert.equal(report.examples, 1500, 'all lines of a single file are judged, not only its training split');
    assert.equal(report.model, 'ngram');
    assert.ok(report.issues.length > 0);
    assert.ok(report.issues.every((i) => i.file === noisy.file && i.line >= 1 && i.line <= 1500));
    assert.deepEqual([...new Set(progress.map((p) => p.jobId))], ['job-1']);
    assert.deepEqual([...new Set(progress.map((p) => p.fold))], [0, 1, 2]);
    assert.ok(progress.every((p, i) => i === 0 || p.fraction >= progress[i - 1].fraction));
    assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'label-issues.json'), 'utf8')), report);
  } finally {
    await client.dispose();
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('cancelling labelIssues/find stops the job with a cancelled error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-li-cancel-'));
  const dataset = join(dir, 'data.jsonl');
  writeFileSync(dataset, readFileSync(emotion));
  const client = newClient();
  try {
    const source = new CancellationTokenSource();
    const sub = client.onLabelIssuesProgress(() => source.cancel());
    // A job that ran to the end would resolve with a report; the rejection is the proof it stopped.
    await assert.rejects(client.findLabelIssues({ dataset, jobId: 'c' }, source.token), (e: { code?: number }) =>
      e.code === EngineErrorCodes.cancelled || e.code === -32800);
    sub.dispose();
  } finally {
    await client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
