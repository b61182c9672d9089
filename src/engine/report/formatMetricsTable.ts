// The before/after metrics table, shared by report.md and the CLI (Markdown pipes read well in a terminal too).
import { isClassRateDefined, type ClassificationMetrics, type ClassMetrics } from '../../protocol/metrics';

/** A Markdown table with one row per named evaluation; rows whose metrics are null are left out. */
export function formatMetricsTable(rows: [string, ClassificationMetrics | null][]): string {
  const present = rows.filter((r): r is [string, ClassificationMetrics] => r[1] !== null);
  const width = Math.max(10, ...present.map(([name]) => name.length));
  const lines = [
    `| ${'evaluation'.padEnd(width)} | accuracy | macro F1 | weighted F1 |   loss |  ECE  |`,
    `| ${'-'.repeat(width)} | -------: | -------: | ----------: | -----: | ----: |`,
  ];
  for (const [name, m] of present) {
    lines.push(`| ${name.padEnd(width)} | ${pct(m.accuracy).padStart(8)} | ${pct(m.macroF1).padStart(8)} | ${pct(m.weightedF1).padStart(11)} | ${m.loss.toFixed(3).padStart(6)} | ${m.ece.toFixed(3)} |`);
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
