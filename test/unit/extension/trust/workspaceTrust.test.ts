import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerNextMessage, executedCommands, shownMessages, workspace } from '../fakeVscode';
import { requireWorkspaceTrust } from '../../../../src/extension/trust/workspaceTrust';

test('a trusted workspace passes silently', async () => {
  workspace.isTrusted = true;
  const before = shownMessages.length;
  assert.equal(await requireWorkspaceTrust('Fine-tuning'), true);
  assert.equal(shownMessages.length, before);
});

test('Restricted Mode refuses with an explanation and offers to manage trust', async () => {
  workspace.isTrusted = false;
  answerNextMessage('Manage Workspace Trust');
  assert.equal(await requireWorkspaceTrust('Fine-tuning'), false);
  const shown = shownMessages.at(-1);
  assert.equal(shown?.level, 'warning');
  assert.match(shown?.message ?? '', /^Fine-tuning is disabled in Restricted Mode\. .*Inspecting datasets and browsing runs still work\.$/);
  assert.deepEqual(shown?.items, ['Manage Workspace Trust']);
  assert.equal(executedCommands.at(-1)?.command, 'workbench.trust.manage');
  workspace.isTrusted = true;
});
