// bench:label-issues — the label-noise experiment on the full emotion training file: flip a seeded 5 % of the
// labels, find label issues with 5-fold n-gram out-of-fold probabilities, print precision, recall and time.
// Also prints every filterBy rule on the same out-of-fold probabilities, which is how the default was chosen.
// Usage: npm run bench:label-issues [-- --model <ngram|folder> --folds 5 --fraction 0.05 --seed 1]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { findLabelIssuesInDataset, loadDataset, computeOutOfFoldProbs, createFoldClassifierFactory, findLabelIssues, type FilterBy } from '../src/engine';
import { scoreFlags, writeNoisyCopy } from '../test/integration/labelNoise';

const { values } = parseArgs({ options: {
  model: { type: 'string', default: 'ngram' },
  folds: { type: 'string', default: '5' },
  fraction: { type: 'string', default: '0.05' },
  seed: { type: 'string', default: '1' },
  'skip-filters': { type: 'boolean', default: false },
} });
async function main(): Promise<void> {
  const source = join(__dirname, '..', '..', 'shared', 'data', 'emotion', 'train.jsonl');
  const noisy = await writeNoisyCopy(source, { fraction: Number(values.fraction), seed: Number(values.seed) });
  console.log(`emotion train: ${noisy.lines} lines, ${noisy.flippedLines.size} labels flipped (seed ${values.seed}); model ${values.model}, ${values.folds} folds`);

  const started = performance.now();
  let lastFold = -1;
  const report = await findLabelIssuesInDataset({ dataset: noisy.file, model: values.model, folds: Number(values.folds) }, {
    onProgress: (p) => { if (p.fold !== lastFold) { lastFold = p.fold; process.stderr.write(`  fold ${p.fold + 1}/${p.folds}…\n`); } },
  });
  const seconds = (performance.now() - started) / 1000;
  const score = scoreFlags(report.issues.map((i) => i.line), noisy.flippedLines);
  console.log(`default (filterBy ${report.filterBy}, fracNoise ${report.fracNoise}): flagged ${score.flagged}, precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}, time ${seconds.toFixed(1)} s (target: precision ≥ 0.6, recall ≥ 0.6, ≤ 600 s)`);
  console.log(`  precision ${score.precision >= 0.6 ? 'meets' : 'MISSES'} target, recall ${score.recall >= 0.6 ? 'meets' : 'MISSES'} target, time ${(seconds / 600).toFixed(3)} of budget`);
  console.log(`conflicting duplicate groups: ${report.duplicates.length}`);

  if (!values['skip-filters']) {
    // Same folds, every rule: the numbers behind the default.
    const splits = await loadDataset(noisy.file);
    const examples = [...splits.train, ...splits.validation, ...splits.test].sort((a, b) => a.line - b.line);
    const { factory } = await createFoldClassifierFactory({ model: values.model, dataset: noisy.file });
    const oof = await computeOutOfFoldProbs({ train: examples, labels: splits.labels }, { folds: Number(values.folds), createClassifier: factory });
    for (const filterBy of ['pruneByClass', 'pruneByNoiseRate', 'both', 'confidentLearning', 'predictedNeqGiven'] as FilterBy[]) {
      for (const fracNoise of filterBy === 'confidentLearning' || filterBy === 'predictedNeqGiven' ? [1] : [1, 0.7, 0.5, 0.4]) {
        const s = scoreFlags(findLabelIssues(oof.labelIds, oof.predProbs, { filterBy, fracNoise }).map((c) => examples[c.index].line), noisy.flippedLines);
        console.log(`  filterBy ${filterBy.padEnd(18)} fracNoise ${fracNoise.toFixed(1)}  flagged ${String(s.flagged).padStart(5)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`);
      }
    }
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
