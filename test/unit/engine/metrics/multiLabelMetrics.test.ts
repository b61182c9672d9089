// Multi-label metrics against scikit-learn (Debian's python3-sklearn, which CI installs): micro/macro/weighted/
// samples P/R/F1, per-label rows, subset accuracy, Hamming loss, label-ranking average precision, on random
// inputs with empty gold sets, empty predictions and labels that never occur; plus threshold tuning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { computeMultiLabelMetrics, tuneThresholds, multiHot } from '../../../../src/engine/metrics/multiLabelMetrics';
import { mulberry32 } from '../../../../src/engine/seededRandom';
import { needs, python, pythonModule } from '../../../helpers/requirements';

const script = `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
from sklearn.metrics import precision_recall_fscore_support as prfs, accuracy_score, hamming_loss, label_ranking_average_precision_score as lrap
out = []
for case in json.load(sys.stdin):
    k = case["k"]
    t = np.array(case["gold"], dtype=int).reshape(-1, k)
    s = np.array(case["probs"], dtype=np.float32).reshape(-1, k)
    p = (s >= np.array(case["thresholds"], dtype=np.float32)).astype(int)
    r = {a: [float(x) for x in prfs(t, p, average=a, zero_division=0)[:3]] for a in ["micro", "macro", "weighted", "samples"]}
    per = prfs(t, p, average=None, zero_division=0)
    r["per"] = [[float(per[i][c]) for i in range(4)] for c in range(k)]
    r["subset"] = float(accuracy_score(t, p))
    r["hamming"] = float(hamming_loss(t, p))
    r["lrap"] = float(lrap(t, s))
    out.append(r)
print(json.dumps(out))
`;

interface Case { gold: number[]; probs: number[]; thresholds: number[]; k: number }

function randomCases(): Case[] {
  const rand = mulberry32(18);
  const cases: Case[] = [];
  for (let i = 0; i < 30; i++) {
    const k = 2 + Math.floor(rand() * 6);
    const n = 1 + Math.floor(rand() * 25);
    const density = rand() * 0.6;
    const gold = Array.from({ length: n * k }, () => (rand() < density ? 1 : 0));
    // Ties in the scores are part of the ranking definition: round some to one decimal.
    const probs = Array.from({ length: n * k }, () => (rand() < 0.3 ? Math.round(rand() * 10) / 10 : Math.fround(rand())));
    const thresholds = Array.from({ length: k }, () => (rand() < 0.5 ? 0.5 : Math.round(rand() * 20) / 20));
    cases.push({ gold, probs, thresholds, k });
  }
  return cases;
}

test('multi-label metrics equal scikit-learn on random inputs (empty gold sets, empty predictions, ties)', needs(pythonModule('sklearn')), () => {
  const cases = randomCases();
  const r = spawnSync(python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, `scikit-learn reference failed (CI installs python3-sklearn): ${r.stderr}`);
  const reference = JSON.parse(r.stdout) as Record<string, number[]> & { per: number[][]; subset: number; hamming: number; lrap: number }[];
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ours ${a}, scikit-learn ${b}`);
  cases.forEach((c, i) => {
    const labels = Array.from({ length: c.k }, (_, j) => `l${j}`);
    const m = computeMultiLabelMetrics(Uint8Array.from(c.gold), Float32Array.from(c.probs), c.thresholds, labels, 'test');
    const ref = reference[i]! as unknown as Record<string, number[]> & { per: number[][]; subset: number; hamming: number; lrap: number };
    const ml = m.multiLabel!;
    const what = `case ${i}`;
    close(ml.microPrecision, ref.micro![0]!, `${what} micro P`);
    close(ml.microRecall, ref.micro![1]!, `${what} micro R`);
    close(ml.microF1, ref.micro![2]!, `${what} micro F1`);
    close(m.macroPrecision, ref.macro![0]!, `${what} macro P`);
    close(m.macroRecall, ref.macro![1]!, `${what} macro R`);
    close(m.macroF1, ref.macro![2]!, `${what} macro F1`);
    close(m.weightedF1, ref.weighted![2]!, `${what} weighted F1`);
    close(m.weightedPrecision, ref.weighted![0]!, `${what} weighted P`);
    close(ml.samplesPrecision, ref.samples![0]!, `${what} samples P`);
    close(ml.samplesRecall, ref.samples![1]!, `${what} samples R`);
    close(ml.samplesF1, ref.samples![2]!, `${what} samples F1`);
    close(ml.subsetAccuracy, ref.subset, `${what} subset accuracy`);
    close(m.accuracy, ref.subset, `${what} accuracy`);
    close(ml.hammingLoss, ref.hamming, `${what} Hamming loss`);
    close(ml.labelRankingAveragePrecision, ref.lrap, `${what} LRAP`);
    m.perClass.forEach((p, j) => {
      close(p.precision, ref.per[j]![0]!, `${what} P(${j})`);
      close(p.recall, ref.per[j]![1]!, `${what} R(${j})`);
      close(p.f1, ref.per[j]![2]!, `${what} F1(${j})`);
      assert.equal(p.support, ref.per[j]![3], `${what} support(${j})`);
      const [tn, fp, fn, tp] = ml.labelConfusion[j]!;
      assert.equal(tn + fp + fn + tp, c.gold.length / c.k);
      assert.equal(tp + fn, p.support);
    });
  });
});

test('the loss is the mean over examples of the summed per-label binary cross-entropy', () => {
  const gold = Uint8Array.from([1, 0, 0, 0]);
  const probs = Float32Array.from([0.8, 0.3, 0.5, 0.1]);
  const m = computeMultiLabelMetrics(gold, probs, [0.5, 0.5], ['a', 'b'], 'validation');
  const expected = (-Math.log(0.8) - Math.log(1 - 0.3) + -Math.log(1 - 0.5) - Math.log(1 - 0.1)) / 2;
  assert.ok(Math.abs(m.loss - expected) < 1e-6, `${m.loss} vs ${expected}`);
  // 0.5 ≥ 0.5 is a yes: example 2 predicts {a} but has no label.
  assert.deepEqual(m.multiLabel!.labelConfusion, [[0, 1, 0, 1], [2, 0, 0, 0]]);
});

test('tuned thresholds maximise each label\'s F1 on the grid; a label without positives keeps 0.5', () => {
  // Label 0: positives score 0.3 and 0.35, negatives 0.2 and 0.1 → any threshold in (0.2, 0.3] is perfect; nearest 0.5 is 0.3.
  // Label 1: never gold.
  const gold = multiHot([[0], [0], [], []], 2);
  const probs = Float32Array.from([0.3, 0.9, 0.35, 0.9, 0.2, 0.9, 0.1, 0.9]);
  const thresholds = tuneThresholds(gold, probs, 2);
  assert.deepEqual(thresholds, [0.3, 0.5]);
  const tuned = computeMultiLabelMetrics(gold, probs, thresholds, ['a', 'b'], 'validation');
  const untuned = computeMultiLabelMetrics(gold, probs, [0.5, 0.5], ['a', 'b'], 'validation');
  assert.equal(tuned.perClass[0]!.f1, 1);
  assert.equal(untuned.perClass[0]!.f1, 0);
});
