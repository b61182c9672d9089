// Number formatting shared by the pages, so every view prints metrics the same way.

/** 0.9312 → "93.1%"; NaN/null → "–". */
export function formatPercent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
}

/** Fixed digits; NaN/null → "–". */
export function formatFixed(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** Signed difference in percentage points: +3.2 pp. */
export function formatDeltaPoints(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const pp = v * 100;
  return `${pp > 0 ? '+' : pp < 0 ? '−' : '±'}${Math.abs(pp).toFixed(1)} pp`;
}

/** Seconds → "1h 02m", "3m 05s", "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Learning rates and losses span decades: short scientific form below 0.01. */
export function formatCompact(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) > 0 && Math.abs(v) < 0.01 ? v.toExponential(1) : v.toFixed(3);
}
