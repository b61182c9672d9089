// Matching a head's rows to labels by name, for any family (src/engine/classifier/headAlignment.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignHeadRows, configLabels, describeHeadAlignment, headRowTensors, remapHeadRows } from '../../../../src/engine/classifier/headAlignment';

test('rows are matched by name: reordered, new labels get a row, labels the data lacks are dropped', () => {
  const a = alignHeadRows(['pos', 'neg', 'neutral'], false, ['neg', 'pos', 'mixed']);
  assert.deepEqual([...a.rowOf], [1, 0, -1]);
  assert.deepEqual([a.by, a.added, a.dropped, a.reordered], ['name', ['mixed'], ['neutral'], true]);
  assert.equal(describeHeadAlignment(a, ['neg', 'pos', 'mixed']),
    'Classifier head matched to the labels by name (id2label): neg ← row 1, pos ← row 0, mixed ← new row; new rows initialised for mixed; rows of neutral (not in the data) dropped.');
  assert.equal(describeHeadAlignment(alignHeadRows(['a', 'b'], false, ['a', 'b']), ['a', 'b']), undefined, 'a head used as it is says nothing');
});

test('placeholder names (LABEL_i) keep rows by position when the counts agree, else the head is new', () => {
  assert.deepEqual([...alignHeadRows(['LABEL_0', 'LABEL_1'], true, ['x', 'y']).rowOf], [0, 1]);
  const fresh = alignHeadRows(['LABEL_0', 'LABEL_1'], true, ['x', 'y', 'z']);
  assert.deepEqual(fresh.added, ['x', 'y', 'z']);
  assert.match(describeHeadAlignment(fresh, ['x', 'y', 'z'])!, /a new head is initialised for x, y, z/);
  assert.equal(configLabels({ model_type: 'roberta' }, ['LABEL_0', 'LABEL_1']).placeholder, true);
  assert.deepEqual(headRowTensors('roberta'), ['classifier.out_proj.weight', 'classifier.out_proj.bias']);
});

test('remapHeadRows copies kept rows, draws new weight rows and zero biases, and refuses another row count', () => {
  const tensors = new Map([
    ['classifier.weight', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    ['classifier.bias', { shape: [2], data: Float32Array.from([0.1, 0.2]) }],
  ]);
  const a = alignHeadRows(['pos', 'neg'], false, ['neg', 'new', 'pos']);
  assert.equal(remapHeadRows(tensors, ['classifier.weight', 'classifier.bias'], 2, a, 0.5, () => 1), true);
  assert.deepEqual(tensors.get('classifier.weight')!.shape, [3, 3]);
  assert.deepEqual([...tensors.get('classifier.weight')!.data], [4, 5, 6, 0.5, 0.5, 0.5, 1, 2, 3]);
  assert.deepEqual([...tensors.get('classifier.bias')!.data].map((v) => Math.round(v * 10) / 10), [0.2, 0, 0.1]);
  assert.equal(remapHeadRows(tensors, ['classifier.weight'], 2, a, 0.5, () => 1), false, 'the tensor now has 3 rows, not 2');
});
