import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerNextMessage, clipboardWrites, env, executedCommands, quickPickAnswers, shownMessages, shownQuickPicks, UIKind, unavailableCommands, Uri, workspace } from '../fakeVscode';
import { deleteRunCommand, exportModelCommand, openDashboardCommand, revealRunFolderCommand, stopRunCommand } from '../../../../src/extension/commands/runCommands';
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
    panels: { openDashboard: (dir: string) => void calls.push(`dashboard ${dir}`), runDeleted: async (dir: string) => void calls.push(`panels drop ${dir}`) },
    runHistory: { exported: (runId: string, outDir: string, what: string) => void calls.push(`history exported ${runId} ${outDir} (${what})`) },
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
  assert.deepEqual(calls, ['delete /runs/a', 'panels drop /runs/a'], 'open views of the run (a comparison too) hear of it');
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
  assert.deepEqual(calls, ['delete /runs/b', 'panels drop /runs/b'], 'another run: the active model stays');
  assert.equal(s.activeModel.current?.path, '/runs/a');

  answerNextMessage('Delete');
  await deleteRunCommand(s, 'a');
  const asked = [...shownMessages].reverse().find((m) => m.message.startsWith('Delete run a?'));
  assert.equal(asked?.message, 'Delete run a? It is the active model.');
  assert.deepEqual(calls, ['delete /runs/b', 'panels drop /runs/b', 'delete /runs/a', 'panels drop /runs/a', 'clear active model']);
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

test('reveal in code-server (no revealFileInOS): a run folder outside the workspace is offered as a new window or its path, never an error', async () => {
  const { s } = services([run('r', 'completed')]);
  env.uiKind = UIKind.Web;
  unavailableCommands.add('revealFileInOS');
  try {
    executedCommands.length = 0;
    const before = shownMessages.length;
    answerNextMessage('Copy path');
    await revealRunFolderCommand(s, 'r');
    assert.ok(!executedCommands.some((c) => c.command === 'revealFileInOS'), 'the web host is not asked for the OS file manager');
    assert.equal(shownMessages.at(-1)?.message, '/runs/r is outside this workspace.');
    assert.deepEqual(shownMessages.at(-1)?.items, ['Open in new window', 'Copy path']);
    assert.equal(clipboardWrites.at(-1), '/runs/r');
    assert.ok(!shownMessages.slice(before).some((m) => m.level === 'error'), 'nothing is reported as failed');

    // Inside the workspace, the Explorer reveals it on every host.
    workspace.workspaceFolders = [{ uri: Uri.file('/runs'), name: 'runs', index: 0 }];
    await revealRunFolderCommand(s, 'r');
    assert.equal(executedCommands.at(-1)?.command, 'revealInExplorer');
  } finally {
    env.uiKind = UIKind.Desktop;
    unavailableCommands.delete('revealFileInOS');
    workspace.workspaceFolders = undefined;
  }
});

test('a desktop host whose revealFileInOS fails still gets the fallback, not a failure', async () => {
  const { s } = services([run('r', 'completed')]);
  unavailableCommands.add('revealFileInOS');
  try {
    answerNextMessage(undefined);
    await revealRunFolderCommand(s, 'r');
    assert.equal(shownMessages.at(-1)?.message, '/runs/r is outside this workspace.');
  } finally {
    unavailableCommands.delete('revealFileInOS');
  }
});

test('export asks where (a visible folder by default), describes what was written per model kind, and a failing reveal does not call it a failed export', async () => {
  const exportCalls: { runDir: string; outDir?: string; onnx?: unknown }[] = [];
  const { s, calls } = services([{ ...run('ng', 'completed'), config: { model: 'ngram' } }, run('bert', 'completed')]);
  const written = { ng: ['ngram.json', 'ngram.safetensors'], bert: ['config.json', 'model.safetensors', 'tokenizer.json'] };
  Object.assign(s.engine, {
    exportModel: async (params: { runDir: string; outDir?: string }) => {
      exportCalls.push(params);
      const id = params.runDir.endsWith('ng') ? 'ng' : 'bert';
      return { outDir: params.outDir, files: written[id], format: id === 'ng' ? 'ngram' : 'transformers' };
    },
  });
  workspace.workspaceFolders = [{ uri: Uri.file('/ws'), name: 'ws', index: 0 }];
  unavailableCommands.add('revealFileInOS');
  try {
    quickPickAnswers.push(undefined);
    await exportModelCommand(s, 'ng');
    assert.equal(exportCalls.length, 0, 'Escape in the folder pick exports nothing');
    assert.match(shownQuickPicks.at(-1)?.items.map((i) => i.label).join('\n') ?? '', /^\$\(folder\) exported-models\/ng\n\$\(archive\) The run folder\n\$\(folder-opened\) Choose a folder…$/);

    quickPickAnswers.push('$(folder) exported-models/ng');
    answerNextMessage('Reveal folder');
    await exportModelCommand(s, 'ng');
    // /runs/ng is not in the /ws workspace here: the default is beside the runs folder's parent.
    assert.equal(exportCalls.at(-1)?.outDir, '/exported-models/ng');
    assert.ok(calls.includes('history exported ng /exported-models/ng (n-gram model, 2 files)'), `the Output channel's run history has the export: ${calls.join(' | ')}`);
    const ngramMessage = shownMessages.find((m) => m.message.startsWith('Exported run ng'));
    assert.match(ngramMessage?.message ?? '', /as an n-gram model \(ngram\.json, ngram\.safetensors\).*Python transformers cannot/);
    assert.doesNotMatch(ngramMessage?.message ?? '', /AutoModelForSequenceClassification|Hugging Face/);
    assert.match(ngramMessage?.message ?? '', /Classifier Workbench loads it \(Set active model\)/, 'VS Code names its command');
    assert.doesNotMatch(ngramMessage?.message ?? '', /--[a-z]/, 'and no CLI flag');
    assert.ok(!shownMessages.some((m) => /Could not export/.test(m.message)), 'the reveal that could not run is not reported as a failed export');

    quickPickAnswers.push('$(folder) Hugging Face folder', '$(archive) The run folder');
    answerNextMessage(undefined);
    await exportModelCommand(s, 'bert');
    assert.equal(exportCalls.at(-1)?.onnx, undefined, 'no ONNX unless asked');
    assert.equal(exportCalls.at(-1)?.outDir, '/runs/bert/model');
    assert.match(shownMessages.at(-1)?.message ?? '', /^Exported run bert as a Hugging Face model folder to \/runs\/bert\/model \(3 files\)\. Load it in Python with AutoModelForSequenceClassification/);
  } finally {
    workspace.workspaceFolders = undefined;
    unavailableCommands.delete('revealFileInOS');
  }
});

test('export of a transformer run asks what it holds (Hugging Face folder, + ONNX, + ONNX int8) with descriptions, in VS Code words; an n-gram run is not asked', async () => {
  const exportCalls: { runDir: string; outDir?: string; onnx?: unknown }[] = [];
  const { s, calls } = services([run('bert', 'completed'), { ...run('ng', 'completed'), config: { model: 'ngram' } }]);
  Object.assign(s.engine, {
    exportModel: async (params: { runDir: string; outDir?: string; onnx?: { quantize?: string } }) => {
      exportCalls.push(params);
      const onnx = params.onnx ? ['onnx/model.onnx', ...(params.onnx.quantize ? ['onnx/model_quantized.onnx'] : [])] : [];
      return { outDir: params.outDir, files: ['config.json', 'model.safetensors', ...onnx, 'tokenizer.json'].sort(), format: 'transformers' };
    },
  });
  const picksBefore = shownQuickPicks.length;
  quickPickAnswers.push(undefined);
  await exportModelCommand(s, 'bert');
  assert.equal(exportCalls.length, 0, 'Escape in the format pick exports nothing');
  const formatPick = shownQuickPicks[picksBefore]!;
  assert.equal(formatPick.placeholder, 'What should the export hold?');
  assert.equal(formatPick.title, 'Export run bert (1/2)', 'the first of two picks says so');
  const items = formatPick.items as { label: string; description?: string }[];
  assert.deepEqual(items.map((i) => i.label), ['$(folder) Hugging Face folder', '$(package) Hugging Face folder + ONNX', '$(zap) Hugging Face folder + ONNX (int8)']);
  assert.ok(items.every((i) => i.description && !/--\w/.test(i.description)), 'each choice is described, with no CLI flag');
  assert.match(items[2]!.description!, /model_quantized\.onnx.*int8/);

  quickPickAnswers.push('$(zap) Hugging Face folder + ONNX (int8)', '$(archive) The run folder');
  answerNextMessage(undefined);
  await exportModelCommand(s, 'bert');
  assert.deepEqual(exportCalls.at(-1), { runDir: '/runs/bert', outDir: '/runs/bert/model', onnx: { quantize: 'int8' } });
  assert.equal(shownQuickPicks.at(-1)?.title, 'Export run bert (2/2)');
  assert.match(shownMessages.at(-1)?.message ?? '', /ONNX: onnx\/model\.onnx \(float32\) and onnx\/model_quantized\.onnx \(int8\), for ONNX Runtime, transformers\.js/);
  assert.ok(calls.includes('history exported bert /runs/bert/model (Hugging Face model folder + ONNX (2 models), 5 files)'), calls.join(' | '));

  quickPickAnswers.push('$(package) Hugging Face folder + ONNX', '$(archive) The run folder');
  answerNextMessage(undefined);
  await exportModelCommand(s, 'bert');
  assert.deepEqual(exportCalls.at(-1)?.onnx, {});

  const before = shownQuickPicks.length;
  quickPickAnswers.push('$(archive) The run folder');
  answerNextMessage(undefined);
  await exportModelCommand(s, 'ng');
  assert.equal(shownQuickPicks.length, before + 1, 'only the folder pick');
  assert.equal(shownQuickPicks.at(-1)?.title, 'Export run ng', 'one pick: no step count');
  assert.match(shownQuickPicks.at(-1)!.items.map((i) => i.label).join('\n'), /The run folder/);
  assert.equal(exportCalls.at(-1)?.onnx, undefined);
});

test('Restricted Mode: export and delete write nothing and ask nothing; each says why it is off', async () => {
  const calls: string[] = [];
  const { s } = services([run('r', 'completed')]);
  Object.assign(s.engine, {
    exportModel: async () => { calls.push('export'); return { outDir: '/x', files: [], format: 'ngram' }; },
    deleteRun: async () => void calls.push('delete'),
  });
  workspace.isTrusted = false;
  try {
    const picksBefore = shownQuickPicks.length;
    answerNextMessage(undefined);
    await exportModelCommand(s, 'r');
    assert.match(shownMessages.at(-1)?.message ?? '', /^Exporting a model is disabled in Restricted Mode\. It reads the run's model files and writes a model folder into this workspace/);
    assert.equal(shownQuickPicks.length, picksBefore, 'no folder pick: nothing would be written');
    answerNextMessage('Delete');
    await deleteRunCommand(s, 'r');
    assert.match(shownMessages.at(-1)?.message ?? '', /^Deleting a run is disabled in Restricted Mode\./);
    assert.deepEqual(calls, []);
  } finally {
    workspace.isTrusted = true;
  }
});

test('picking runs to compare: one tick asks for another instead of closing; the current selection starts ticked', async () => {
  const { pickRuns } = await import('../../../../src/extension/commands/resolveRun');
  const { createdQuickPicks, multiPickAnswers } = await import('../fakeVscode');
  const epoch = { epoch: 1, trainLoss: 1, validationLoss: 1, accuracy: 0.5, macroF1: 0.5, isBest: true };
  const evaluated = (id: string, dataset: string): RunRecord => ({ ...run(id, 'completed'), dataset, epochs: [epoch] });
  const { s } = services([evaluated('a', '/d/emotion/train.jsonl'), evaluated('b', '/d/tickets/train.jsonl'), evaluated('c', '/d/news/train.jsonl')]);
  await s.runsTree.refresh();
  multiPickAnswers.push(['emotion/train'], ['emotion/train', 'news/train']);
  const picked = await pickRuns(s.runsTree, 'compare', ['/runs/b']);
  const qp = createdQuickPicks.at(-1)!;
  assert.deepEqual(shownQuickPicks.at(-1)?.selected?.map((i) => i.label), ['tickets/train'], '"Choose runs…" starts from the comparison shown');
  assert.equal(qp.placeholders.length, 1, 'Enter with one run ticked kept the list open');
  assert.match(qp.placeholders[0] ?? '', /tick one more/);
  assert.deepEqual(picked?.map((r) => r.runId), ['a', 'c']);

  multiPickAnswers.push(undefined);
  assert.equal(await pickRuns(s.runsTree, 'compare'), undefined, 'Escape dismisses');
});
