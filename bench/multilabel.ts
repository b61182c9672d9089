// Benchmark of multi-label training and class weights, each against a reference measured in the same run.
// 1. GoEmotions (28 labels): the n-gram model trained on train.jsonl (validation carved from it by iterative
//    stratification, thresholds tuned on it), evaluated on test.jsonl; the reference is scikit-learn's one-vs-rest
//    TF-IDF (word 1–2-grams) + logistic regression on exactly the same three splits, with thresholds tuned on the
//    same validation split by the same rule (grid 0.05…0.95, per label). Both unweighted and with balanced weights.
// 2. emotion (single-label, 6 classes, surprise 3.6 %): the n-gram model with --class-weights none vs balanced,
//    same seed: macro F1 and the minority classes' recall on the test split.
// Needs Debian's python3-sklearn. Run: npm run bench:multilabel
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRun, loadDataset, exampleLabels, THRESHOLD_GRID } from '../src/engine';
import type { ClassificationMetrics } from '../src/protocol/metrics';
import type { ClassWeightsOption } from '../src/protocol/train';

const shared = join(__dirname, '..', '..', 'shared', 'data');
const goemotions = join(shared, 'goemotions', 'train.jsonl');
const emotion = join(shared, 'emotion', 'train.jsonl');
const python = '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'bench-multilabel-'));

/** The reference, fed the exact splits as JSON on stdin; prints micro/macro F1 on test as JSON. */
const reference = `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.metrics import f1_score
d = json.load(sys.stdin)
labels, grid = d["labels"], d["grid"]
def Y(split): return np.array([[1 if l in e["labels"] else 0 for l in labels] for e in split])
vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
X = vec.fit_transform([e["text"] for e in d["train"]])
out = {}
for weights in ["none", "balanced"]:
    model = OneVsRestClassifier(LogisticRegression(max_iter=1000, class_weight=None if weights == "none" else "balanced")).fit(X, Y(d["train"]))
    pv = model.predict_proba(vec.transform([e["text"] for e in d["validation"]]))
    pt = model.predict_proba(vec.transform([e["text"] for e in d["test"]]))
    yv, yt = Y(d["validation"]), Y(d["test"])
    th = []
    for c in range(len(labels)):
        if yv[:, c].sum() == 0: th.append(0.5); continue
        best, best_f1 = 0.5, -1.0
        for t in grid:
            tp = int(((pv[:, c] >= t) & (yv[:, c] == 1)).sum()); pred = int((pv[:, c] >= t).sum())
            f1 = 2 * tp / (pred + yv[:, c].sum())
            if f1 > best_f1 + 1e-12 or (abs(f1 - best_f1) <= 1e-12 and abs(t - 0.5) < abs(best - 0.5)): best, best_f1 = t, f1
        th.append(best)
    p = (pt >= np.array(th)).astype(int)
    out[weights] = {"micro": f1_score(yt, p, average="micro", zero_division=0), "macro": f1_score(yt, p, average="macro", zero_division=0)}
print(json.dumps(out))
`;

async function ngramRun(dataset: string, classWeights: ClassWeightsOption): Promise<{ test: ClassificationMetrics; seconds: number }> {
  const started = performance.now();
  const result = await trainRun({ dataset, model: 'ngram', runsDir: join(work, 'runs'), seed: 42, classWeights });
  if (!result.test) throw new Error(`no test metrics for ${dataset}`);
  return { test: result.test, seconds: (performance.now() - started) / 1000 };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function goEmotions(): Promise<void> {
  console.log('GoEmotions: train on train.jsonl (validation carved from it), thresholds tuned on validation, test on test.jsonl');
  const data = await loadDataset(goemotions, { seed: 42 });
  const splits = { labels: data.labels, grid: THRESHOLD_GRID, ...Object.fromEntries((['train', 'validation', 'test'] as const).map((s) => [s, data[s].map((e) => ({ text: e.text, labels: exampleLabels(e) }))])) };
  console.log(`splits: ${data.train.length} train, ${data.validation.length} validation, ${data.test.length} test; ${data.labels.length} labels`);
  const started = performance.now();
  const r = spawnSync(python, ['-c', reference], { input: JSON.stringify(splits), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the scikit-learn reference failed (apt-get install python3-sklearn): ${r.stderr}`);
  const ref = JSON.parse(r.stdout) as Record<'none' | 'balanced', { micro: number; macro: number }>;
  const refSeconds = (performance.now() - started) / 1000;
  for (const weights of ['none', 'balanced'] as const) {
    const ours = await ngramRun(goemotions, weights);
    const ml = ours.test.multiLabel!;
    console.log(`class weights ${weights}:`);
    console.log(`  n-gram (ours)            micro F1 ${pct(ml.microF1)}  macro F1 ${pct(ours.test.macroF1)}  (samples F1 ${pct(ml.samplesF1)}, subset accuracy ${pct(ml.subsetAccuracy)}, LRAP ${ml.labelRankingAveragePrecision.toFixed(3)}; whole run ${ours.seconds.toFixed(1)} s)`);
    console.log(`  TF-IDF + LR one-vs-rest  micro F1 ${pct(ref[weights].micro)}  macro F1 ${pct(ref[weights].macro)}  (both weightings fitted in ${refSeconds.toFixed(1)} s)`);
    console.log(`  macro F1 ratio ours/reference ${(ours.test.macroF1 / ref[weights].macro).toFixed(3)}: ${ours.test.macroF1 >= ref[weights].macro ? 'at least the reference' : 'BELOW the reference'}`);
  }
}

async function emotionWeights(): Promise<void> {
  console.log('\nemotion (single-label): --class-weights none vs balanced, n-gram, seed 42, test split');
  const none = await ngramRun(emotion, 'none');
  const balanced = await ngramRun(emotion, 'balanced');
  const support = none.test.perClass.map((c) => c.support);
  const total = support.reduce((a, b) => a + b, 0);
  console.log(`  macro F1 ${pct(none.test.macroF1)} → ${pct(balanced.test.macroF1)}; accuracy ${pct(none.test.accuracy)} → ${pct(balanced.test.accuracy)}`);
  none.test.perClass.forEach((c, i) => {
    const b = balanced.test.perClass[i]!;
    console.log(`  ${c.label.padEnd(9)} ${pct(c.support / total).padStart(6)} of test  recall ${pct(c.recall)} → ${pct(b.recall)}  F1 ${pct(c.f1)} → ${pct(b.f1)}`);
  });
}

async function main(): Promise<void> {
  console.log('Figures from one run on this machine (the team machine is shared and loaded: times are indicative only).\n');
  await goEmotions();
  await emotionWeights();
}

main().finally(() => rmSync(work, { recursive: true, force: true }));
