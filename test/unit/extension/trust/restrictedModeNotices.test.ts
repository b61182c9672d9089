// The Restricted Mode line above the Runs and Datasets views: shown while untrusted and the view lists something,
// gone when trust is granted, never over a message someone else wrote.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, grantWorkspaceTrust, workspace } from '../fakeVscode';
import { datasetsRestrictedMessage, runsRestrictedMessage, showRestrictedModeNotices } from '../../../../src/extension/trust/restrictedModeNotices';

function target(message: () => string, items: number) {
  const changed = new EventEmitter<unknown>();
  // A real TreeView's message starts as '' (ExtHostTreeView), not undefined.
  const t = { view: { message: '' as string | undefined }, count: items, hasItems: () => t.count > 0, onDidChangeTreeData: changed.event, message };
  return { t, fire: () => changed.fire(undefined) };
}

test('untrusted with runs: the Runs view says training is off and why; trust clears it', () => {
  workspace.isTrusted = false;
  const runs = target(runsRestrictedMessage, 0);
  const datasets = target(datasetsRestrictedMessage, 2);
  const subscriptions = showRestrictedModeNotices([runs.t, datasets.t]);
  try {
    assert.ok(!runs.t.view.message, 'no runs: the welcome content explains instead');
    assert.match(datasets.t.view.message ?? '', /^Restricted Mode: fine-tuning and finding label issues are off, because .*not marked as trusted\. Inspecting datasets still works\.$/);
    runs.t.count = 3;
    runs.fire();
    assert.match(runs.t.view.message ?? '', /^Restricted Mode: training, resuming, loading, exporting and deleting runs are off, because .*not marked as trusted\. Browsing runs still works\.$/);
    grantWorkspaceTrust();
    assert.equal(runs.t.view.message, undefined);
    assert.equal(datasets.t.view.message, undefined);
  } finally {
    subscriptions.forEach((s) => s.dispose());
    workspace.isTrusted = true;
  }
});

test('trusted: no line; a message another feature set is left alone', () => {
  workspace.isTrusted = true;
  const runs = target(runsRestrictedMessage, 3);
  showRestrictedModeNotices([runs.t]).forEach((s) => s.dispose());
  assert.ok(!runs.t.view.message);
  workspace.isTrusted = false;
  const other = target(runsRestrictedMessage, 3);
  other.t.view.message = 'Loading runs…';
  const subscriptions = showRestrictedModeNotices([other.t]);
  assert.equal(other.t.view.message, 'Loading runs…');
  subscriptions.forEach((s) => s.dispose());
  workspace.isTrusted = true;
});
