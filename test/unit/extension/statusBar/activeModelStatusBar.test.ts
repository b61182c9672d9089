// The active-model status-bar item: its tooltip invites a choice only where one can be made; in Restricted Mode it
// says loading a model is off, and why, until trust is granted.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createdStatusBarItems, EventEmitter, grantWorkspaceTrust, workspace } from '../fakeVscode';
import { ActiveModelStatusBar } from '../../../../src/extension/statusBar/activeModelStatusBar';

const model = { statusText: () => ({ text: '$(hubot) No model', tooltip: 'Classifier Workbench: no active model.' }), onDidChange: new EventEmitter<unknown>().event };

test('trusted: "Click to choose"; Restricted Mode: the reason instead, until trust is granted', () => {
  workspace.isTrusted = true;
  const before = createdStatusBarItems.length;
  new ActiveModelStatusBar(model);
  assert.match(String(createdStatusBarItems[before]!.tooltip), /Click to choose the active model\.$/);

  workspace.isTrusted = false;
  new ActiveModelStatusBar(model);
  const restricted = createdStatusBarItems[before + 1]!;
  assert.equal(restricted.text, '$(hubot) No model');
  assert.match(String(restricted.tooltip), /\nLoading a model is disabled in Restricted Mode\. It reads model files .*not marked as trusted\.$/);
  assert.doesNotMatch(String(restricted.tooltip), /Click to choose|train/i);
  grantWorkspaceTrust();
  assert.match(String(restricted.tooltip), /Click to choose the active model\.$/);
});
