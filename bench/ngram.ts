// Benchmark of the built-in n-gram model on emotion (16,000 train / 2,000 validation / 2,000 test): wall time
// of a whole run and of its training steps, test accuracy, and the ratio to the reference point, scikit-learn's
// TF-IDF word+char n-grams + logistic regression at 0.875 on this split (issue 5). Run: npm run bench:ngram
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { trainRun, loadPredictor } from '../src/engine';

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
  if (dataset.includes(`${join('emotion', 'train.jsonl')}`)) {
    console.log(`reference TF-IDF + logistic regression: ${REFERENCE_ACCURACY}; ratio ${(acc / REFERENCE_ACCURACY).toFixed(3)}; target ≥ 0.87 in ≤ 60 s: ${acc >= 0.87 && trainingMs <= 60_000 ? 'met' : 'NOT met'}`);
  }
  // Inference speed of the trained model (what hover and label issues pay per text), on the test texts.
  const texts = readFileSync(join(result.runDir, 'predictions', 'test.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
  const predictor = await loadPredictor(result.runDir);
  const t0 = performance.now();
  for (const text of texts.slice(0, 200)) await predictor.predictProbs([text]);
  const singleMs = (performance.now() - t0) / Math.min(200, texts.length);
  const t1 = performance.now();
  await predictor.predictProbs(texts);
  const batchPerS = texts.length / ((performance.now() - t1) / 1000);
  console.log(`inference: ${singleMs.toFixed(3)} ms per single text; ${batchPerS.toFixed(0)} texts/s in one batch of ${texts.length}`);
}
main().finally(() => rmSync(runsDir, { recursive: true, force: true }));
