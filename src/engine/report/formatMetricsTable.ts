// The before/after metrics table, shared by report.md and the CLI (Markdown pipes read well in a terminal too).
import { isClassRateDefined, type ClassificationMetrics, type ClassMetrics } from '../../protocol/metrics';

/** A Markdown table with one row per named evaluation; rows whose metrics are null are left out. */
export function formatMetricsTable(rows: [string, ClassificationMetrics | null][]): string {
  const present = rows.filter((r): r is [string, ClassificationMetrics] => r[1] !== null);
  const width = Math.max(10, ...present.map(([name]) => name.length));
  if (present.some(([, m]) => m.multiLabel)) return formatMultiLabelTable(present, width);
  const lines = [
    `| ${'evaluation'.padEnd(width)} | accuracy | macro F1 | weighted F1 |   loss |  ECE  |`,
    `| ${'-'.repeat(width)} | -------: | -------: | ----------: | -----: | ----: |`,
  ];
  for (const [name, m] of present) {
    lines.push(`| ${name.padEnd(width)} | ${pct(m.accuracy).padStart(8)} | ${pct(m.macroF1).padStart(8)} | ${pct(m.weightedF1).padStart(11)} | ${m.loss.toFixed(3).padStart(6)} | ${m.ece.toFixed(3)} |`);
  }
  return lines.join('\n');
}

/** Multi-label evaluations: subset accuracy, micro/macro/weighted/samples F1, Hamming loss, LRAP, loss. */
function formatMultiLabelTable(rows: [string, ClassificationMetrics][], width: number): string {
  const lines = [
    `| ${'evaluation'.padEnd(width)} | subset acc. | micro F1 | macro F1 | weighted F1 | samples F1 | Hamming |  LRAP |   loss |`,
    `| ${'-'.repeat(width)} | ----------: | -------: | -------: | ----------: | ---------: | ------: | ----: | -----: |`,
  ];
  for (const [name, m] of rows) {
    const ml = m.multiLabel;
    const opt = (x: number | undefined, w: number, f: (v: number) => string) => (x === undefined ? 'n/a' : f(x)).padStart(w);
    lines.push(`| ${name.padEnd(width)} | ${pct(m.accuracy).padStart(11)} | ${opt(ml?.microF1, 8, pct)} | ${pct(m.macroF1).padStart(8)} | ${pct(m.weightedF1).padStart(11)} | ${opt(ml?.samplesF1, 10, pct)} | ${opt(ml?.hammingLoss, 7, (v) => v.toFixed(4))} | ${opt(ml?.labelRankingAveragePrecision, 5, (v) => v.toFixed(3))} | ${m.loss.toFixed(3).padStart(6)} |`);
  }
  return lines.join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Precision, recall and F1 of one class as percentages, "n/a" where the rate is 0/0 (`isClassRateDefined`). */
export function formatClassRates(c: ClassMetrics): [string, string, string] {
  const rate = (key: 'precision' | 'recall' | 'f1') => (isClassRateDefined(c, key) ? pct(c[key]) : 'n/a');
  return [rate('precision'), rate('recall'), rate('f1')];
}
