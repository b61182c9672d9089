import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createdStatusBarItems } from '../fakeVscode';
import { RunStatusBar, runStatusText } from '../../../../src/extension/statusBar/runStatusBar';
import type { RunProgress } from '../../../../src/protocol/train';

const p: RunProgress = { runId: 'r1', epoch: 2, epochs: 3, step: 45, totalSteps: 100, loss: 0.41234, learningRate: 2e-5, samplesPerSecond: 120, etaSeconds: 65 };

test('shows epoch, step, loss and ETA; a click opens that run\'s dashboard', () => {
  assert.equal(runStatusText(p), '$(sync~spin) Epoch 2/3 · step 45/100 · loss 0.412 · ETA 1 min 05 s');
  const before = createdStatusBarItems.length;
  const bar = new RunStatusBar();
  // The item as VS Code gets it: the one createStatusBarItem handed out.
  assert.equal(createdStatusBarItems.length, before + 1, 'one status-bar item');
  const item = createdStatusBarItems[before];
  assert.equal(item.visible, false);
  bar.update(p);
  assert.equal(item.visible, true);
  assert.deepEqual(item.command, { command: 'classifierWorkbench.openDashboard', title: 'Open dashboard', arguments: ['r1'] });
  bar.state({ runId: 'other', state: 'completed' });
  assert.equal(item.visible, true, 'another run ending does not hide this one');
  bar.state({ runId: 'r1', state: 'completed' });
  assert.equal(item.visible, false);
  assert.equal(bar.shownRun, undefined);
});
