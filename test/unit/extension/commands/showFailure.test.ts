import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerNextMessage, executedCommands, shownMessages } from '../fakeVscode';
import { describeFailure, showFailure } from '../../../../src/extension/commands/showFailure';
import { EngineErrorCodes } from '../../../../src/protocol/errors';

test('an engine error with a location offers to open the file at the line, then the log', () => {
  const error = Object.assign(new Error('x'), { code: EngineErrorCodes.invalidDataset, data: { file: '/w/train.jsonl', line: 12, column: 3, detail: 'Line 12 is not valid JSON.' } });
  const view = describeFailure('Could not start fine-tuning on train.jsonl', error);
  assert.equal(view.message, 'Could not start fine-tuning on train.jsonl: Line 12 is not valid JSON. (train.jsonl:12)');
  assert.deepEqual(view.actions, ['Open file at line', 'Show log']);
  assert.deepEqual(view.where, { file: '/w/train.jsonl', line: 12, column: 3 });
});

test('model and option errors lead to the settings; an engine that gave up offers a restart', () => {
  const model = describeFailure('Could not load', { code: EngineErrorCodes.invalidModel, data: { detail: 'No config.json in /m.' }, message: 'No config.json in /m.' });
  assert.deepEqual(model.actions, ['Open settings', 'Show log']);
  assert.equal(model.setting, 'classifierWorkbench.defaultModel');
  const unavailable = Object.assign(new Error('The engine stopped repeatedly.'), { name: 'EngineUnavailableError' });
  assert.deepEqual(describeFailure('Export failed', unavailable).actions, ['Restart engine', 'Show log']);
  assert.equal(describeFailure('Oops', 'plain string').message, 'Oops: plain string');
});

test('choosing "Show log" runs the show-log command', async () => {
  answerNextMessage('Show log');
  await showFailure('Export failed', new Error('disk full'));
  assert.equal(shownMessages.at(-1)?.level, 'error');
  assert.equal(shownMessages.at(-1)?.message, 'Export failed: disk full');
  assert.equal(executedCommands.at(-1)?.command, 'classifierWorkbench.showEngineLog');
});

test('engine errors shown in VS Code name the setting or dialogue step, not the CLI flag; the CLI keeps its flag', async () => {
  const { HubClient } = await import('../../../../src/engine/hub/hubClient');
  // Nothing listens on port 9 (discard): the offline Hub error.
  const hub = new HubClient('http://127.0.0.1:9', 'owner/model', 'main', undefined, undefined);
  const offline = await hub.request('http://127.0.0.1:9/owner/model/resolve/main/config.json', { method: 'HEAD' }).then(() => undefined, (e: unknown) => e);
  assert.match((offline as Error).message, /download the model folder and pass its path/, 'the CLI wording');
  const shown = describeFailure('Could not start fine-tuning on train.jsonl', offline).message;
  assert.doesNotMatch(shown, /pass its path|--[a-z]/);
  assert.match(shown, /"Browse for a model folder…" in the Fine-tune dialogue/);

  const { EngineError } = await import('../../../../src/engine/errors');
  const { sentence, useOption } = await import('../../../../src/common/optionWording');
  // As selectBackend words a backend that cannot load (its own test checks that it throws this for tensorflow).
  const backend = EngineError.worded(EngineErrorCodes.invalidOption, (s) => `The tensorflow backend cannot be used (not installed). ${sentence(useOption('backend', 'auto or wasm', s))}.`);
  assert.match(backend.message, /Use --backend auto or wasm\.$/);
  const view = describeFailure('Could not start fine-tuning on train.jsonl', backend);
  assert.match(view.message, /Set the "Classifier Workbench › Engine: Backend" setting to auto or wasm\.$/);
  assert.equal(view.setting, 'classifierWorkbench.engine.backend', '"Open settings" opens that setting');
});

test('a model folder that is not there: the editor wording points at Browse and the Hub id, the CLI at the path', async () => {
  const { resolveModel } = await import('../../../../src/engine/hub/modelSource');
  const missing = await resolveModel('./no/such/model-folder').then(() => undefined, (e: unknown) => e);
  assert.match((missing as Error).message, /pass a folder with config\.json/);
  assert.match(describeFailure('Could not start', missing).message, /with "Browse for a model folder…" in the Fine-tune dialogue, or enter a Hub id/);
});

test('a checkpoint the engine cannot train: VS Code offers the built-in n-gram model from the dialogue, the CLI --model ngram', async () => {
  const { checkEncoderConfig } = await import('../../../../src/engine/classifier/createClassifier');
  const refused = (() => {
    try {
      checkEncoderConfig({ model_type: 'gpt2' }, '/m/config.json');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.match((refused as Error).message, /or use --model ngram\.$/);
  const shown = describeFailure('Could not start fine-tuning on train.jsonl', refused).message;
  assert.match(shown, /or pick "Built-in n-gram model" in the Fine-tune dialogue\. \(config\.json\)$/);
  assert.doesNotMatch(shown, /--model/);
});
