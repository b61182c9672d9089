// The fine-tune dialogue as VS Code shows it (one QuickPick / InputBox at a time): Escape in a value box goes back
// one step, and a browsed folder that is not a model folder is refused before anything starts.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { inputBoxAnswers, quickPickAnswers, shownInputBoxes, shownMessages, shownQuickPicks, Uri } from '../fakeVscode';
import { FineTuneFlow } from '../../../../src/extension/quickPick/fineTuneFlow';
import { showFineTuneFlow } from '../../../../src/extension/quickPick/showFineTuneFlow';
import { gatherModelChoices } from '../../../../src/extension/quickPick/modelCandidates';

const hyperparameters = { epochs: 3, batchSize: 16, learningRate: null, maxLength: 128, patience: 2, validationSplit: 0.1, classWeights: 'none' };
const flow = () => new FineTuneFlow({ defaults: { model: 'ngram', mode: 'full', hyperparameters }, models: gatherModelChoices({ recent: [], workspaceFolders: [], cached: [] }), dataset: 'data/train.jsonl' });

function reset(): void {
  quickPickAnswers.length = 0;
  inputBoxAnswers.length = 0;
  shownQuickPicks.length = 0;
  shownInputBoxes.length = 0;
  shownMessages.length = 0;
}

test('customise → Escape in a value box returns to the list with the values kept, and the dialogue still starts', async () => {
  reset();
  quickPickAnswers.push('model:scratch', 'full', 'customise', 'epochs', 'batchSize', 'start');
  inputBoxAnswers.push('9', undefined);
  const choice = await showFineTuneFlow(flow());
  assert.ok(choice, 'Escape in the batch-size box did not end the dialogue');
  assert.equal(choice.hyperparameters.epochs, 9, 'the epochs typed before Escape are kept');
  assert.equal(choice.hyperparameters.batchSize, 16);
  assert.deepEqual(shownQuickPicks.map((p) => p.placeholder).slice(-2), ['Pick a value to change, or start', 'Pick a value to change, or start']);
  assert.match(shownInputBoxes[0].prompt ?? '', /engine default/);
});

test('Escape in a pick list still ends the dialogue', async () => {
  reset();
  quickPickAnswers.push('model:scratch', undefined);
  assert.equal(await showFineTuneFlow(flow()), undefined);
});

test('Browse refuses a folder without config.json at once, saying what a model folder holds, and goes back to the model list', async () => {
  reset();
  const dir = await mkdtemp(join(tmpdir(), 'not-a-model-'));
  const window = vscode.window as unknown as { showOpenDialog: () => Promise<Uri[] | undefined> };
  const original = window.showOpenDialog;
  window.showOpenDialog = async () => [Uri.file(dir)];
  try {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    quickPickAnswers.push('browse', undefined);
    assert.equal(await showFineTuneFlow(flow()), undefined);
    const error = shownMessages.find((m) => m.level === 'error');
    assert.match(error?.message ?? '', /not a model folder: it has no config\.json/);
    assert.match(error?.message ?? '', /config\.json, model\.safetensors and the tokenizer/);
    assert.equal(shownQuickPicks.length, 2, 'back to the model list, no mode step');

    // An exported n-gram model is a trained model, not a base: refused with what to pick instead.
    reset();
    await writeFile(join(dir, 'ngram.json'), '{}');
    quickPickAnswers.push('browse', undefined);
    await showFineTuneFlow(flow());
    assert.match(shownMessages.find((m) => m.level === 'error')?.message ?? '', /trained n-gram model.*Built-in n-gram model/);

    // A folder with config.json goes on to the mode step.
    reset();
    await writeFile(join(dir, 'config.json'), '{}');
    quickPickAnswers.push('browse', 'lora', 'start');
    const choice = await showFineTuneFlow(flow());
    assert.deepEqual([choice?.model, choice?.mode], [dir, 'lora']);
    assert.equal(shownMessages.length, 0);
  } finally {
    window.showOpenDialog = original;
    await rm(dir, { recursive: true, force: true });
  }
});
