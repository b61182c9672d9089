// The pages' pure logic without a browser: example filtering/sorting, class order by error mass, F1 deltas.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classOrder, errorMass } from '../../webview-ui/confusion/classOrder';
import { classF1Deltas } from '../../webview-ui/compare/classF1Deltas';
import { completeFilter, defaultFilter, filterExamples } from '../../webview-ui/examples/filterExamples';
import type { CompareRun, ExampleRow } from '../../webview-ui/shared/messages';

const row = (index: number, gold: number, predicted: number, confidence: number, loss: number, text = `text ${index}`): ExampleRow =>
  ({ index, text, gold, predicted, confidence, loss, hasSource: true, top: [] });

describe('filterExamples', () => {
  const rows = [row(0, 0, 1, 0.9, 2.5, 'Card not ARRIVED'), row(1, 1, 1, 0.8, 0.2), row(2, 0, 2, 0.4, 1.1, 'where is my card'), row(3, 2, 0, 0.95, 3.0), row(4, 0, 1, 0.3, 0.9)];

  it('keeps misclassified examples by default, in file order or by loss', () => {
    assert.deepEqual(filterExamples(rows, defaultFilter, { key: 'index', descending: false }), [0, 2, 3, 4]);
    assert.deepEqual(filterExamples(rows, defaultFilter, { key: 'loss', descending: true }), [3, 0, 2, 4]);
    assert.deepEqual(filterExamples(rows, defaultFilter, { key: 'confidence', descending: false }), [4, 2, 0, 3]);
  });

  it('combines gold, predicted, correctness, confidence range and case-insensitive text search', () => {
    const all = completeFilter({ correctness: 'all' });
    assert.deepEqual(filterExamples(rows, { ...all, gold: 0, predicted: 1 }, { key: 'index', descending: false }), [0, 4]);
    assert.deepEqual(filterExamples(rows, { ...all, correctness: 'correct' }, { key: 'index', descending: false }), [1]);
    assert.deepEqual(filterExamples(rows, { ...all, minConfidence: 0.35, maxConfidence: 0.85 }, { key: 'index', descending: false }), [1, 2]);
    assert.deepEqual(filterExamples(rows, { ...all, search: 'card' }, { key: 'index', descending: false }), [0, 2]);
    assert.deepEqual(filterExamples(rows, { ...all, search: 'arrived' }, { key: 'index', descending: true }), [0]);
  });

  it('completes and clamps partial filters from the host or saved state', () => {
    assert.deepEqual(completeFilter({ gold: 3, minConfidence: -1, maxConfidence: 7, correctness: 'bogus' as never }),
      { gold: 3, predicted: null, missed: null, extra: null, correctness: 'incorrect', minConfidence: 0, maxConfidence: 1, search: '' });
    assert.deepEqual(completeFilter({ missed: 2, extra: 'x' as never }), { ...defaultFilter, missed: 2 });
    assert.deepEqual(completeFilter(undefined), defaultFilter);
  });
});

describe('filterExamples on multi-label rows', () => {
  const ml = (index: number, gold: number[], predicted: number[]): ExampleRow =>
    ({ ...row(index, -1, -1, 0.5, 1), goldLabels: gold, predictedLabels: predicted });
  // 0: exact; 1: misses 2; 2: adds 1; 3: misses 0, adds 2; 4: none given, none predicted; 5: same set, other order.
  const rows = [ml(0, [0, 1], [0, 1]), ml(1, [0, 2], [0]), ml(2, [0], [0, 1]), ml(3, [0], [2]), ml(4, [], []), ml(5, [2, 0], [0, 2])];
  const byIndex = { key: 'index', descending: false } as const;
  const all = completeFilter({ correctness: 'all' });

  it('counts a row right only when its predicted set equals the given set', () => {
    assert.deepEqual(filterExamples(rows, defaultFilter, byIndex), [1, 2, 3]);
    assert.deepEqual(filterExamples(rows, { ...all, correctness: 'correct' }, byIndex), [0, 4, 5]);
  });

  it('filters by a given, predicted, missed or extra label', () => {
    assert.deepEqual(filterExamples(rows, { ...all, gold: 2 }, byIndex), [1, 5]);
    assert.deepEqual(filterExamples(rows, { ...all, predicted: 1 }, byIndex), [0, 2]);
    assert.deepEqual(filterExamples(rows, { ...all, missed: 2 }, byIndex), [1]);
    assert.deepEqual(filterExamples(rows, { ...all, missed: 0 }, byIndex), [3]);
    assert.deepEqual(filterExamples(rows, { ...all, extra: 1 }, byIndex), [2]);
    assert.deepEqual(filterExamples(rows, { ...all, extra: 2 }, byIndex), [3]);
    assert.deepEqual(filterExamples(rows, { ...all, gold: 0, predicted: 0 }, byIndex), [0, 1, 2, 5]);
  });

  it('reads missed and extra of a single-label row as its wrong gold and predicted class', () => {
    const single = [row(0, 0, 1, 0.9, 2), row(1, 1, 1, 0.9, 0.1)];
    assert.deepEqual(filterExamples(single, { ...all, missed: 0 }, byIndex), [0]);
    assert.deepEqual(filterExamples(single, { ...all, extra: 1 }, byIndex), [0]);
  });
});

describe('classOrder', () => {
  // Class 2 is confused most (row and column), class 0 least.
  const confusion = [[10, 0, 1], [0, 8, 4], [2, 3, 9]];

  it('sums each class off-diagonal row and column', () => {
    assert.deepEqual(errorMass(confusion), [3, 7, 10]);
  });

  it('orders by label or by error mass', () => {
    assert.deepEqual(classOrder(confusion, 'label'), [0, 1, 2]);
    assert.deepEqual(classOrder(confusion, 'errors'), [2, 1, 0]);
  });
});

describe('classF1Deltas', () => {
  const metrics = (f1: Record<string, number>) => ({ perClass: Object.entries(f1).map(([label, v]) => ({ label, precision: 0, recall: 0, f1: v, support: 1 })) });
  const run = (labels: string[], f1: Record<string, number>) => ({ run: { labels }, epochs: [], final: null, test: metrics(f1) }) as unknown as CompareRun;

  it('matches classes by name across runs and reports last minus first', () => {
    const rows = classF1Deltas([run(['a', 'b'], { a: 0.5, b: 0.9 }), run(['b', 'a', 'c'], { a: 0.75, b: 0.8, c: 0.6 })]);
    assert.deepEqual(rows.map((r) => r.label), ['a', 'b', 'c']);
    assert.equal(rows[0].delta, 0.25);
    assert.ok(Math.abs(rows[1].delta! + 0.1) < 1e-12);
    assert.deepEqual(rows[2], { label: 'c', f1: [null, 0.6], delta: null });
  });
});
