// The JSONL lines the "To label" view writes: fields as the training file names them, multi-label lists, and
// labelling an unlabeled line of the training file in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectTrainingFields, formatLabelledLine, labelLineInPlace } from '../../../../src/extension/activeLearning/labelledLine';
import { labelPickItems, shortText, skipItemId } from '../../../../src/extension/activeLearning/labelPick';
import { SkippedSuggestions } from '../../../../src/extension/activeLearning/skippedSuggestions';
import type { LabelSuggestion } from '../../../../src/protocol/activeLearning';

test('the training file\'s own field names are used; settings win; an empty file gets text/label', () => {
  assert.deepEqual(detectTrainingFields(['', '{"sentence": "a", "intent": "b"}']), { textField: 'sentence', labelField: 'intent' });
  assert.deepEqual(detectTrainingFields(['not json', '{"text": "a", "labels": ["x"]}']), { textField: 'text', labelField: 'labels' });
  assert.deepEqual(detectTrainingFields(['{"sentence": "a", "intent": "b"}'], { labelField: 'topic' }), { textField: 'sentence', labelField: 'topic' });
  assert.deepEqual(detectTrainingFields([]), { textField: 'text', labelField: 'label' });
  assert.throws(() => detectTrainingFields(['{"messages": []}']), /chat format/);
});

test('a labelled line is one JSON object; multi-label data gets a list', () => {
  const fields = { textField: 'text', labelField: 'label' };
  assert.equal(formatLabelledLine('I "love" it\n', ['joy'], false, fields), '{"text":"I \\"love\\" it\\n","label":"joy"}');
  assert.deepEqual(JSON.parse(formatLabelledLine('x', ['a', 'b'], true, { textField: 'sentence', labelField: 'labels' })), { sentence: 'x', labels: ['a', 'b'] });
});

test('an unlabeled line of the training file is labelled in place, other fields kept; a changed line is refused', () => {
  const fields = { textField: 'text', labelField: 'label' };
  assert.equal(labelLineInPlace('{"id": 7, "text": "where is it", "label": null}', 'where is it', ['delivery'], false, fields), '{"id":7,"text":"where is it","label":"delivery"}');
  assert.equal(labelLineInPlace('{"text": "where is it"}', 'where is it', ['delivery'], false, fields), '{"text":"where is it","label":"delivery"}');
  assert.equal(labelLineInPlace('{"text": "where is it", "label": "billing"}', 'where is it', ['delivery'], false, fields), undefined, 'already labelled meanwhile');
  assert.equal(labelLineInPlace('{"text": "something else"}', 'where is it', ['delivery'], false, fields), undefined);
  assert.equal(labelLineInPlace('{"text": "where', 'where is it', ['delivery'], false, fields), undefined);
});

const suggestion: LabelSuggestion = {
  line: 3, text: '  so   happy\tand sad ', uncertainty: 0.9,
  prediction: { label: 'sadness', confidence: 0.5, top: [{ label: 'sadness', probability: 0.5 }, { label: 'joy', probability: 0.4 }], probabilities: [0.1, 0.4, 0.5] },
};

test('label items: most probable first with percents and the guess marked; multi-label pre-ticks predicted labels; skip last', () => {
  const items = labelPickItems(suggestion, ['anger', 'joy', 'sadness'], false);
  assert.deepEqual(items.map((i) => i.id), ['label:sadness', 'label:joy', 'label:anger', skipItemId]);
  assert.equal(items[0]!.description, '50.0% · model\'s guess');
  assert.equal(items[2]!.description, '10.0%');
  assert.ok(items.every((i) => !i.picked));
  const multi = labelPickItems({ ...suggestion, prediction: { ...suggestion.prediction, labels: ['sadness', 'joy'] } }, ['anger', 'joy', 'sadness'], true);
  assert.deepEqual(multi.filter((i) => i.picked).map((i) => i.value), ['sadness', 'joy']);
  assert.equal(shortText(suggestion.text), 'so happy and sad');
  assert.equal(shortText('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
});

test('skipped lines are kept per file in workspace state, once each, and can be forgotten', async () => {
  const values = new Map<string, unknown>();
  const state = { get: <T>(k: string, d: T) => (values.has(k) ? values.get(k) as T : d), update: async (k: string, v: unknown) => void values.set(k, v) };
  const skipped = new SkippedSuggestions(state);
  await skipped.skip('/a.txt', 'one');
  await skipped.skip('/a.txt', 'two');
  await skipped.skip('/a.txt', 'one');
  await skipped.skip('/b.txt', 'three');
  assert.deepEqual(skipped.texts('/a.txt'), ['two', 'one']);
  assert.deepEqual(new SkippedSuggestions(state).texts('/b.txt'), ['three'], 'read back from the state, as after a reload');
  await skipped.clear('/a.txt');
  assert.deepEqual(skipped.texts('/a.txt'), []);
  assert.deepEqual(skipped.texts('/b.txt'), ['three']);
});
