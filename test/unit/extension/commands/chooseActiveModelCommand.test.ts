// The active-model pick behind the status bar: completed runs when trusted; in Restricted Mode no model at all (a
// pick that would then be refused), but the reason, a way to trust, and clearing.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executedCommands, quickPickAnswers, shownQuickPicks, workspace } from '../fakeVscode';
import { chooseActiveModelCommand } from '../../../../src/extension/commands/chooseActiveModelCommand';
import type { WorkbenchServices } from '../../../../src/extension/commands/workbenchServices';
import { RunsTreeProvider } from '../../../../src/extension/views/runsTree';
import type { RunRecord } from '../../../../src/extension/views/runFolderReader';

const run = (runId: string): RunRecord => ({ runId, runDir: `/runs/${runId}`, state: 'completed', config: {}, epochs: [], dataset: '/d/train.jsonl' });

function services(active?: string): WorkbenchServices {
  const runsTree = new RunsTreeProvider(async () => [run('a'), run('b')]);
  return { runsTree, activeModel: { current: active ? { path: active, name: 'a' } : undefined, clear: async () => undefined } } as unknown as WorkbenchServices;
}

test('trusted: the pick offers the completed runs and a folder', async () => {
  workspace.isTrusted = true;
  quickPickAnswers.push(undefined);
  await chooseActiveModelCommand(services());
  const items = shownQuickPicks.at(-1)!.items.map((i) => i.label);
  assert.equal(items.filter((l) => l.startsWith('$(beaker)')).length, 2);
  assert.ok(items.some((l) => l.includes('Browse for a model folder')));
});

test('Restricted Mode: no run or folder to pick; it says why and offers trust and clearing', async () => {
  workspace.isTrusted = false;
  try {
    const before = executedCommands.length;
    quickPickAnswers.push('$(shield) Manage Workspace Trust');
    await chooseActiveModelCommand(services('/runs/a'));
    const pick = shownQuickPicks.at(-1)!;
    const labels = pick.items.map((i) => i.label);
    assert.deepEqual(labels, ['$(shield) Manage Workspace Trust', '$(close) Clear the active model']);
    assert.match((pick.items[0] as { detail?: string }).detail ?? '', /^Loading a model is disabled in Restricted Mode\. It reads model files/);
    assert.doesNotMatch((pick.items[0] as { detail?: string }).detail ?? '', /train/i);
    const ran = executedCommands.slice(before).map((c) => c.command);
    assert.deepEqual(ran, ['workbench.trust.manage'], 'no setActiveModel: nothing is loaded and refused');
  } finally {
    workspace.isTrusted = true;
  }
});
