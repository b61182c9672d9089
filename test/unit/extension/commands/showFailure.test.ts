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
