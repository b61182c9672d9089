import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerNextMessage, shownMessages } from '../fakeVscode';
import { deleteRunCommand, openDashboardCommand, stopRunCommand } from '../../../../src/extension/commands/runCommands';
import type { WorkbenchServices } from '../../../../src/extension/commands/workbenchServices';
import { RunsTreeProvider } from '../../../../src/extension/views/runsTree';
import type { RunRecord } from '../../../../src/extension/views/runFolderReader';

function services(records: RunRecord[], activePath?: string) {
  const calls: string[] = [];
  let current: { path: string; name: string } | undefined = activePath ? { path: activePath, name: 'active' } : undefined;
  const s = {
    runsTree: new RunsTreeProvider(async () => records),
    engine: {
      deleteRun: async (dir: string) => void calls.push(`delete ${dir}`),
      cancelRun: async (id: string) => (calls.push(`cancel ${id}`), { runId: id, runDir: `/runs/${id}`, state: 'cancelled' }),
    },
    panels: { openDashboard: (dir: string) => void calls.push(`dashboard ${dir}`) },
    activeModel: {
      get current() {
        return current;
      },
      clear: async () => {
        calls.push('clear active model');
        current = undefined;
      },
    },
  } as unknown as WorkbenchServices;
  return { s, calls };
}
const run = (runId: string, state: RunRecord['state']): RunRecord => ({ runId, runDir: `/runs/${runId}`, state, config: {}, epochs: [] });

test('delete asks for confirmation naming the folder, and deletes only on "Delete"', async () => {
  const { s, calls } = services([run('a', 'completed')]);
  answerNextMessage(undefined);
  await deleteRunCommand(s, 'a');
  assert.deepEqual(calls, []);
  assert.equal(shownMessages.at(-1)?.message, 'Delete run a?');
  answerNextMessage('Delete');
  await deleteRunCommand(s, { kind: 'run', runId: 'a', runDir: '/runs/a' });
  assert.deepEqual(calls, ['delete /runs/a']);
});

test('a running run is not deleted; the message offers to stop it', async () => {
  const { s, calls } = services([run('b', 'running')]);
  answerNextMessage('Stop run');
  await deleteRunCommand(s, 'b');
  assert.match(shownMessages.at(-1)?.message ?? '', /^Run b is running\. Stop it before deleting it\.$/);
  assert.deepEqual(calls, ['cancel b']);
});

test('commands take a run id (status bar) or a { runId } object (quick fixes) as well as a tree node', async () => {
  const { s, calls } = services([run('c', 'running')]);
  await openDashboardCommand(s, 'c');
  await openDashboardCommand(s, { runId: 'c', file: '/d.jsonl', line: 3 });
  await stopRunCommand(s, { kind: 'run', runId: 'c', runDir: '/runs/c' });
  assert.deepEqual(calls, ['dashboard /runs/c', 'dashboard /runs/c', 'cancel c']);
});

test("deleting the active model's run says so before, and clears the active model after", async () => {
  const { s, calls } = services([run('a', 'completed'), run('b', 'completed')], '/runs/a');
  answerNextMessage('Delete');
  await deleteRunCommand(s, 'b');
  assert.equal(shownMessages.at(-1)?.message, 'Delete run b?');
  assert.deepEqual(calls, ['delete /runs/b'], 'another run: the active model stays');
  assert.equal(s.activeModel.current?.path, '/runs/a');

  answerNextMessage('Delete');
  await deleteRunCommand(s, 'a');
  const asked = [...shownMessages].reverse().find((m) => m.message.startsWith('Delete run a?'));
  assert.equal(asked?.message, 'Delete run a? It is the active model.');
  assert.deepEqual(calls, ['delete /runs/b', 'delete /runs/a', 'clear active model']);
  assert.equal(s.activeModel.current, undefined);
  assert.match(shownMessages.at(-1)?.message ?? '', /^Run a was the active model: no model is active now/);
});

test('a failed delete leaves the active model as it was', async () => {
  const { s, calls } = services([run('a', 'completed')], '/runs/a/checkpoints/best');
  (s.engine as { deleteRun: (dir: string) => Promise<void> }).deleteRun = async () => {
    throw new Error('EACCES: permission denied');
  };
  answerNextMessage('Delete');
  await deleteRunCommand(s, 'a');
  assert.deepEqual(calls, []);
  assert.equal(s.activeModel.current?.path, '/runs/a/checkpoints/best');
});
