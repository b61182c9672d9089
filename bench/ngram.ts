// Benchmark of the built-in n-gram model on emotion (16,000 train / 2,000 validation / 2,000 test): wall time
// of a whole run and of its training steps, test accuracy, and the ratio to the reference point, scikit-learn's
// TF-IDF word+char n-grams + logistic regression at 0.875 on this split (issue 5). Run: npm run bench:ngram
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { trainRun } from '../src/engine/train/runTraining';

const REFERENCE_ACCURACY = 0.875;
const dataset = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'shared', 'data', 'emotion', 'train.jsonl'));
const runsDir = mkdtempSync(join(tmpdir(), 'bench-ngram-'));
let trainingMs = 0;
let stepStart = 0;
async function main(): Promise<void> {
  const started = performance.now();
  const result = await trainRun({ dataset, model: 'ngram', runsDir }, {
    onEvent: (e) => {
      // Training time = from the baseline evaluation to the last epoch's evaluation, minus nothing else.
      if (e.type === 'epoch' && e.epoch === 0) stepStart = performance.now();
      if (e.type === 'epoch' && e.epoch > 0) trainingMs = performance.now() - stepStart;
      if (e.type === 'epoch') console.log(`epoch ${e.epoch}: validation accuracy ${e.validation.accuracy.toFixed(4)}, loss ${e.validation.loss.toFixed(4)}${e.isBest ? ' (best)' : ''}`);
    },
  });
  const totalS = (performance.now() - started) / 1000;
  const acc = result.test?.accuracy ?? NaN;
  console.log(`dataset: ${dataset}`);
  console.log(`training (epochs incl. per-epoch validation): ${(trainingMs / 1000).toFixed(1)} s; whole run (load, baseline, train, test, files): ${totalS.toFixed(1)} s`);
  console.log(`test accuracy: ${acc.toFixed(4)} (macro F1 ${result.test?.macroF1.toFixed(4)}), best epoch ${result.best?.epoch}`);
  console.log(`reference TF-IDF + logistic regression: ${REFERENCE_ACCURACY}; ratio ${(acc / REFERENCE_ACCURACY).toFixed(3)}; target ≥ 0.87 in ≤ 60 s: ${acc >= 0.87 && trainingMs <= 60_000 ? 'met' : 'NOT met'}`);
}
main().finally(() => rmSync(runsDir, { recursive: true, force: true }));
