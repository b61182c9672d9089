// Per-class F1 across compared runs, matched by label name (runs may list classes in different orders).
import type { CompareRun } from '../shared/messages';

export interface ClassF1Row {
  label: string;
  /** F1 per run, null when the run has no such class or no metrics. */
  f1: Array<number | null>;
  /** Last run minus first run; null when either is missing. */
  delta: number | null;
}

/** One row per label seen in any run, in the first run's label order then the others'. */
export function classF1Deltas(runs: CompareRun[]): ClassF1Row[] {
  const metrics = runs.map((r) => r.test ?? r.final);
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const r of runs) for (const l of r.run.labels) if (!seen.has(l)) { seen.add(l); labels.push(l); }
  const byLabel = metrics.map((m) => new Map((m?.perClass ?? []).map((c) => [c.label, c.f1])));
  return labels.map((label) => {
    const f1 = byLabel.map((map) => map.get(label) ?? null);
    const first = f1[0];
    const last = f1[f1.length - 1];
    return { label, f1, delta: first !== null && last !== null && f1.length > 1 ? last - first : null };
  });
}
