import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerNextMessage, executedCommands, shownMessages, workspace } from '../fakeVscode';
import { requireWorkspaceTrust, restrictedModeReason, type TrustedAction } from '../../../../src/extension/trust/workspaceTrust';

test('a trusted workspace passes silently', async () => {
  workspace.isTrusted = true;
  const before = shownMessages.length;
  assert.equal(await requireWorkspaceTrust('fineTune'), true);
  assert.equal(shownMessages.length, before);
});

test('Restricted Mode refuses with an explanation and offers to manage trust', async () => {
  workspace.isTrusted = false;
  answerNextMessage('Manage Workspace Trust');
  assert.equal(await requireWorkspaceTrust('fineTune'), false);
  const shown = shownMessages.at(-1);
  assert.equal(shown?.level, 'warning');
  assert.match(shown?.message ?? '', /^Fine-tuning is disabled in Restricted Mode\. .*not marked as trusted\. Inspecting datasets and browsing runs still work\.$/);
  assert.deepEqual(shown?.items, ['Manage Workspace Trust']);
  assert.equal(executedCommands.at(-1)?.command, 'workbench.trust.manage');
  workspace.isTrusted = true;
});

test('each refusal names its own action and what it would do; loading a model does not claim to train', () => {
  const actions: [TrustedAction, RegExp][] = [
    ['fineTune', /^Fine-tuning .* trains on data/], ['resumeRun', /^Resuming a run /], ['retrain', /^Retraining /],
    ['findLabelIssues', /^Finding label issues .* trains models/], ['suggestLabels', /^Suggesting lines to label /],
    ['loadModel', /^Loading a model .* reads model files/], ['exportModel', /^Exporting a model .* writes a model folder into this workspace/],
    ['deleteRun', /^Deleting a run .* removes folders/], ['exportJob', /^Writing a training job /], ['importRun', /^Importing a run /],
  ];
  for (const [action, expected] of actions) {
    const reason = restrictedModeReason(action);
    assert.match(reason, expected, action);
    assert.match(reason, /is disabled in Restricted Mode\. .*which you have not marked as trusted\.$/, action);
  }
  assert.doesNotMatch(restrictedModeReason('loadModel'), /train/i);
});
