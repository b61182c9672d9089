// Our metrics against scikit-learn (Debian's python3-sklearn, which CI installs): macro averages over the
// classes present in the truth or the predictions, weighted averages and per-class rows, on random inputs
// with absent classes, classes that are only predicted, and one class only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { computeMetrics } from '../../../../src/engine/metrics/classificationMetrics';
import { isClassRateDefined } from '../../../../src/protocol/metrics';
import { mulberry32 } from '../../../../src/engine/seededRandom';
import { needs, python, pythonModule } from '../../../helpers/requirements';

const script = `
import json, sys, warnings
warnings.simplefilter("ignore")
from sklearn.metrics import precision_recall_fscore_support as prfs, accuracy_score
out = []
for case in json.load(sys.stdin):
    t, p, k = case["gold"], case["pred"], case["k"]
    macro = prfs(t, p, average="macro", zero_division=0)[:3]
    weighted = prfs(t, p, average="weighted", zero_division=0)[:3]
    per = prfs(t, p, labels=list(range(k)), average=None, zero_division=0)
    out.append({"macro": macro, "weighted": weighted, "accuracy": accuracy_score(t, p),
                "per": [[float(per[i][c]) for i in range(4)] for c in range(k)]})
print(json.dumps(out))
`;

interface Case { gold: number[]; pred: number[]; k: number }

/** One-hot-ish probabilities whose arg-max is `pred`. */
function probsFor(pred: number[], k: number): Float32Array {
  const probs = new Float32Array(pred.length * k).fill(0.1 / k);
  pred.forEach((c, i) => { probs[i * k + c] = 0.9; });
  return probs;
}

function randomCases(): Case[] {
  const rand = mulberry32(16);
  const cases: Case[] = [];
  for (let i = 0; i < 40; i++) {
    const k = 2 + Math.floor(rand() * 6);
    const n = 1 + Math.floor(rand() * 30);
    // Only some classes occur in the gold labels and, separately, in the predictions.
    const goldPool = Array.from({ length: k }, (_, c) => c).filter(() => rand() < 0.6);
    const predPool = Array.from({ length: k }, (_, c) => c).filter(() => rand() < 0.6);
    if (goldPool.length === 0) goldPool.push(0);
    if (predPool.length === 0) predPool.push(k - 1);
    const gold = Array.from({ length: n }, () => goldPool[Math.floor(rand() * goldPool.length)]!);
    const pred = gold.map((g) => (rand() < 0.5 && predPool.includes(g) ? g : predPool[Math.floor(rand() * predPool.length)]!));
    cases.push({ gold, pred, k });
  }
  // The shared case: a perfect 3-class model on a file with 2 classes.
  cases.push({ gold: [0, 0, 2, 2, 2], pred: [0, 0, 2, 2, 2], k: 3 });
  return cases;
}

test('macro, weighted and per-class metrics equal scikit-learn on random inputs with absent classes', needs(pythonModule('sklearn')), () => {
  const cases = randomCases();
  const r = spawnSync(python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, `scikit-learn reference failed (CI installs python3-sklearn): ${r.stderr}`);
  const reference = JSON.parse(r.stdout) as { macro: number[]; weighted: number[]; accuracy: number; per: number[][] }[];
  assert.equal(reference.length, cases.length, 'scikit-learn answered every case');
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ours ${a}, scikit-learn ${b}`);
  cases.forEach((c, i) => {
    const labels = Array.from({ length: c.k }, (_, j) => `c${j}`);
    const m = computeMetrics(c.gold, probsFor(c.pred, c.k), labels, 'test');
    const ref = reference[i]!;
    const what = `case ${i} (gold ${c.gold.join('')}, pred ${c.pred.join('')})`;
    close(m.accuracy, ref.accuracy, `${what} accuracy`);
    close(m.macroPrecision, ref.macro[0]!, `${what} macro P`);
    close(m.macroRecall, ref.macro[1]!, `${what} macro R`);
    close(m.macroF1, ref.macro[2]!, `${what} macro F1`);
    close(m.weightedPrecision, ref.weighted[0]!, `${what} weighted P`);
    close(m.weightedRecall, ref.weighted[1]!, `${what} weighted R`);
    close(m.weightedF1, ref.weighted[2]!, `${what} weighted F1`);
    assert.equal(ref.per.length, c.k, `${what}: scikit-learn's per-class rows`);
    assert.equal(m.perClass.length, c.k, `${what}: our per-class rows`);
    m.perClass.forEach((p, j) => {
      close(p.precision, ref.per[j]![0]!, `${what} P(${j})`);
      close(p.recall, ref.per[j]![1]!, `${what} R(${j})`);
      close(p.f1, ref.per[j]![2]!, `${what} F1(${j})`);
      assert.equal(p.support, ref.per[j]![3], `${what} support(${j})`);
    });
    assert.equal(m.macroLabelCount, new Set([...c.gold, ...c.pred]).size);
  });
});

test('a perfect model on a file lacking a class: macro F1 100 %, the absent class n/a, matrix complete', () => {
  const m = computeMetrics([0, 0, 2, 2, 2], probsFor([0, 0, 2, 2, 2], 3), ['anger', 'joy', 'sadness'], 'test');
  assert.equal(m.macroF1, 1);
  assert.equal(m.macroLabelCount, 2);
  assert.equal(m.perClass.length, 3);
  assert.equal(m.confusion.length, 3);
  const joy = m.perClass[1]!;
  assert.deepEqual(['precision', 'recall', 'f1'].map((r) => isClassRateDefined(joy, r as 'f1')), [false, false, false]);
  assert.equal(isClassRateDefined(m.perClass[0]!, 'recall'), true);
});

test('a class predicted but absent from the truth: its recall is n/a, its precision 0 % counts', () => {
  const m = computeMetrics([0, 0], probsFor([0, 1], 2), ['a', 'b'], 'test');
  const b = m.perClass[1]!;
  assert.equal(isClassRateDefined(b, 'recall'), false);
  assert.equal(isClassRateDefined(b, 'precision'), true);
  assert.equal(m.macroLabelCount, 2);
  assert.equal(m.macroPrecision, 0.5);
});
