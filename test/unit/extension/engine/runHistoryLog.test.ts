// The run history in the output channel: what happened to which run, and when.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunHistoryLog, timestamp } from '../../../../src/extension/engine/runHistoryLog';
import { onFailureShown, showFailure } from '../../../../src/extension/commands/showFailure';

function log() {
  const lines: string[] = [];
  let t = new Date(2026, 11, 1, 2, 45, 10).getTime();
  const history = new RunHistoryLog({ appendLine: (l) => lines.push(l) }, () => new Date((t += 1000)));
  return { lines, history };
}

test('each run event is one line with the time and the run id: started, stopped, completed (with its result), failed, exported', () => {
  const { lines, history } = log();
  const facts = { model: '/m/bert-tiny', mode: 'lora', dataset: 'data/emotion/train.jsonl' };
  history.state({ runId: 'r1', state: 'queued' }, facts);
  history.state({ runId: 'r1', state: 'running' }, facts);
  history.state({ runId: 'r1', state: 'running' }, facts);
  history.state({ runId: 'r1', state: 'cancelled', message: 'cancelled in epoch 2 after 3 of 9 steps' }, facts);
  history.state({ runId: 'r1', state: 'running' }, facts);
  history.state({ runId: 'r1', state: 'completed' }, { ...facts, bestAccuracy: 0.9314, bestMacroF1: 0.9, test: { accuracy: 0.92, macroF1: 0.88 } });
  history.state({ runId: 'r2', state: 'failed', message: 'out of memory' }, { model: 'ngram', mode: 'full' });
  history.exported('r1', '/w/exported-models/r1', 'Hugging Face model folder, 6 files');
  assert.deepEqual(lines, [
    '2026-12-01 02:45:11  run r1 queued: /m/bert-tiny (lora) on data/emotion/train.jsonl',
    '2026-12-01 02:45:12  run r1 started: /m/bert-tiny (lora) on data/emotion/train.jsonl',
    '2026-12-01 02:45:13  run r1 stopped: cancelled in epoch 2 after 3 of 9 steps',
    '2026-12-01 02:45:14  run r1 started: /m/bert-tiny (lora) on data/emotion/train.jsonl',
    '2026-12-01 02:45:15  run r1 completed: best validation accuracy 0.931, macro F1 0.900; test accuracy 0.920, macro F1 0.880',
    '2026-12-01 02:45:16  run r2 failed: out of memory',
    '2026-12-01 02:45:17  run r1 exported to /w/exported-models/r1 (Hugging Face model folder, 6 files)',
  ]);
  assert.equal(timestamp(new Date(2026, 0, 2, 3, 4, 5)), '2026-01-02 03:04:05');
});

test('an error shown to the user is logged too', async () => {
  const { lines, history } = log();
  const subscription = onFailureShown((message) => history.error(message));
  await showFailure('Could not start fine-tuning on train.jsonl', new Error('the engine stopped'));
  subscription.dispose();
  await showFailure('Not logged after dispose', new Error('x'));
  assert.deepEqual(lines, ['2026-12-01 02:45:11  error: Could not start fine-tuning on train.jsonl: the engine stopped']);
});
