// The reliability reasons say what the issue list does: lines of a class the model predicts no better than the label
// frequencies are still judged and listed, so the text must not claim they are left out (it did, next to 75 of them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLabelIssues } from '../../../../src/engine/labelIssues/detectLabelIssues';
import type { FoldClassifierFactory } from '../../../../src/engine/labelIssues/outOfFoldProbs';
import type { Example } from '../../../../src/engine/data/example';
import type { TrainableClassifier } from '../../../../src/engine/classifier/trainableClassifier';

const labels = ['a', 'b', 'c'];
const examples = Array.from({ length: 30 }, (_, i): Example => ({ text: `text ${i}`, label: labels[i % 3]!, file: '/d.jsonl', line: i + 1 }));

/** A model that learnt nothing useful: "b" at 0.98 for every text. */
const alwaysB: FoldClassifierFactory = async (labelMap) => {
  const classifier: TrainableClassifier = {
    labels: labelMap,
    describe: () => ({ kind: 'fake', source: 'fake', mode: 'full', parameters: 0, trainableParameters: 0, backend: 'cpu' }),
    beginTraining: async () => ({ stepsPerEpoch: 1 }),
    trainStep: async () => ({ loss: 0, samples: 1, learningRate: 0 }),
    predictProbs: async (texts) => {
      const out = new Float32Array(texts.length * labelMap.length).fill(0.01);
      for (let r = 0; r < texts.length; r++) out[r * labelMap.length + labelMap.indexOf('b')] = 0.98;
      return out;
    },
    saveCheckpoint: async () => {},
    loadCheckpoint: async () => {},
    exportModel: async () => {},
    dispose: () => {},
  };
  return { classifier, epochs: 1 };
};

test('classes the model cannot beat the frequencies on: their flagged lines are listed, and the reasons say how to read them', async () => {
  const report = await detectLabelIssues(examples, labels, { createClassifier: alwaysB, modelName: 'fake', dataset: '/d.jsonl', folds: 5 });
  const unjudged = report.reliability!.perClass.filter((c) => !c.judged).map((c) => c.label);
  assert.deepEqual(unjudged, ['a', 'c']);
  // Lines given a or c are flagged (p(given) 0.01 < 0.3 / 3; findLabelIssues keeps a class's least suspicious member), suggested b.
  assert.deepEqual(new Set(report.issues.map((i) => i.givenLabel)), new Set(['a', 'c']));
  assert.ok(report.issues.length >= 16 && report.issues.every((i) => i.suggestedLabel === 'b'));
  const reasons = report.reliability!.reasons.join('; ');
  assert.doesNotMatch(reasons, /not judged/, 'the lines are judged and listed');
  assert.match(reasons, /for "a" and "c" it predicts no better than the label frequencies, so its flags on lines given those labels are as likely its own mistakes as wrong labels/);
});
