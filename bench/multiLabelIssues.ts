// bench:multilabel-issues — the label-noise experiment for multi-label data on GoEmotions train.jsonl: a seeded
// share of lines loses one of its labels (a missing label) and as many gain a label they did not have (a wrong
// extra label); per-label confident learning on 5-fold n-gram out-of-fold probabilities must find both kinds.
// Prints precision and recall of the flagged (line, label, add/remove) decisions against the injected ones for
// every filterBy rule and fracNoise on the same probabilities (how the default was chosen), and the default's time.
// GoEmotions has noise of its own, so precision against the injected changes is a lower bound.
// Usage: npm run bench:multilabel-issues [-- --fraction 0.05 --seed 1]
import { parseArgs } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeOutOfFoldProbs, createFoldClassifierFactory, findLabelIssuesInDataset, findMultiLabelIssues, keyedByRarestLabel, loadDataset, mulberry32, multiLabelFilterRules } from '../src/engine';

const { values } = parseArgs({ options: { fraction: { type: 'string', default: '0.05' }, seed: { type: 'string', default: '1' } } });

/** A copy of `source` where `fraction` of the lines lose one label and as many gain one; returns the changes as `line:label:action`. */
function writeNoisyCopy(source: string, dir: string, fraction: number, seed: number): { file: string; changes: Set<string>; lines: number } {
  const rows = readFileSync(source, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; labels: string[] });
  const all = [...new Set(rows.flatMap((r) => r.labels))].sort();
  const random = mulberry32(seed);
  const changes = new Set<string>();
  const order = rows.map((_, i) => i).sort(() => random() - 0.5);
  const per = Math.round(rows.length * fraction / 2);
  let removed = 0;
  let added = 0;
  for (const i of order) {
    const r = rows[i];
    if (removed < per && r.labels.length >= 2) {
      const label = r.labels[Math.floor(random() * r.labels.length)];
      r.labels = r.labels.filter((l) => l !== label);
      changes.add(`${i + 1}:${label}:add`);
      removed++;
    } else if (added < per) {
      const absent = all.filter((l) => !r.labels.includes(l));
      const label = absent[Math.floor(random() * absent.length)];
      r.labels = [...r.labels, label];
      changes.add(`${i + 1}:${label}:remove`);
      added++;
    }
  }
  const file = join(dir, 'train.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { file, changes, lines: rows.length };
}

function score(flags: string[], truth: Set<string>): string {
  const hits = flags.filter((f) => truth.has(f)).length;
  const kind = (a: string) => [...truth].filter((t) => t.endsWith(a)).length;
  const hitsOf = (a: string) => flags.filter((f) => f.endsWith(a) && truth.has(f)).length;
  return `flagged ${String(flags.length).padStart(5)}  precision ${(flags.length ? hits / flags.length : 0).toFixed(3)}  recall ${(hits / truth.size).toFixed(3)}` +
    ` (missing ${(hitsOf(':add') / kind(':add')).toFixed(3)}, extra ${(hitsOf(':remove') / kind(':remove')).toFixed(3)})`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ml-issues-'));
  try {
    const source = join(__dirname, '..', '..', 'shared', 'data', 'goemotions', 'train.jsonl');
    const noisy = writeNoisyCopy(source, dir, Number(values.fraction), Number(values.seed));
    console.log(`goemotions train: ${noisy.lines} lines, ${noisy.changes.size} label decisions changed (half removed, half added; seed ${values.seed}); n-gram, 5 folds`);
    const started = performance.now();
    const report = await findLabelIssuesInDataset({ dataset: noisy.file });
    const seconds = (performance.now() - started) / 1000;
    const flagOf = (i: { line: number; labelChange?: { label: string; action: string } }) => `${i.line}:${i.labelChange!.label}:${i.labelChange!.action}`;
    const flags = report.issues.map(flagOf);
    console.log(`default (filterBy ${report.filterBy}, fracNoise ${report.fracNoise}): ${score(flags, noisy.changes)}, time ${seconds.toFixed(1)} s (loaded machine)`);
    // A review list is read from the top: how many of the first n are injected changes (n = their number, and 100).
    for (const n of [100, noisy.changes.size]) console.log(`  precision of the top ${n}: ${(flags.slice(0, n).filter((f) => noisy.changes.has(f)).length / n).toFixed(3)} (chance: ${(noisy.changes.size / (noisy.lines * report.labels.length)).toFixed(4)})`);
    console.log(`  out-of-fold exact-set agreement ${report.outOfFoldAccuracy.toFixed(3)}; conflicting duplicate groups ${report.duplicates.length}`);
    const r = report.reliability!;
    console.log(`  judge: ${r.verdict} (exact-set accuracy ${r.accuracy.toFixed(3)} vs ${r.baselineAccuracy.toFixed(3)} for always [${r.majorityLabel}], lift ${r.accuracyLift.toFixed(3)}; log loss ${r.logLoss.toFixed(3)} vs ${r.baselineLogLoss.toFixed(3)}, skill ${r.logLossSkill.toFixed(3)}; bar lift ≥ ${r.bar.minAccuracyLift}, skill ≥ ${r.bar.minLogLossSkill})${r.verdict === 'weak' ? ': the editor holds these issues back and says why' : ''}`);

    // Same folds, every rule: the numbers behind the default.
    const splits = await loadDataset(noisy.file);
    const examples = [...splits.train, ...splits.validation, ...splits.test].sort((a, b) => a.line - b.line);
    const K = splits.labels.length;
    const given = new Uint8Array(examples.length * K);
    examples.forEach((e, i) => { for (const l of e.labels ?? []) given[i * K + splits.labels.indexOf(l)] = 1; });
    const { factory } = await createFoldClassifierFactory({ model: 'ngram', dataset: noisy.file, objective: { problemType: 'multi_label_classification' } });
    const oof = await computeOutOfFoldProbs({ train: keyedByRarestLabel(examples, splits.labels), labels: splits.labels }, { folds: 5, createClassifier: factory });
    for (const filterBy of multiLabelFilterRules) {
      for (const fracNoise of filterBy === 'pruneByNoiseRate' ? [1, 0.7, 0.5, 0.3] : [1]) {
        const flags = findMultiLabelIssues(given, oof.predProbs, { filterBy, fracNoise }).map((c) => `${examples[c.index].line}:${splits.labels[c.label]}:${c.action}`);
        console.log(`  filterBy ${filterBy.padEnd(18)} fracNoise ${fracNoise.toFixed(1)}  ${score(flags, noisy.changes)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
