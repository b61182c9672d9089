// Validates every message a webview page posts before the host acts on it: a page renders dataset text, so the
// host treats what comes back as untrusted input. Unknown types and malformed fields are rejected, not coerced.
import type { EvalSplit, PageMessage, PageMessageType, ThresholdTarget } from '../../../webview-ui/shared/messages';

type Raw = Record<string, unknown>;

const MAX_ID_LENGTH = 512;

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
}

/** More labels than any classifier here has: a longer per-class list is a broken or hostile message. */
const maxPerClassThresholds = 100_000;

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff;
}

function isSplit(v: unknown): v is EvalSplit {
  return v === 'validation' || v === 'test';
}

function isFraction(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

/** Only the listed keys may be present: an extra key means the page and host disagree on the message. */
function hasOnlyKeys(raw: Raw, keys: readonly string[]): boolean {
  return Object.keys(raw).every((k) => k === 'type' || keys.includes(k));
}

/**
 * Returns the message as a typed `PageMessage` when it is well-formed, otherwise `undefined`.
 * Checks the shape only; whether `runId` is the panel's own run is checked by the panel.
 */
export function parsePageMessage(raw: unknown): PageMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Raw;
  const type = m.type as PageMessageType;
  switch (type) {
    case 'ready':
    case 'pickRuns':
      return hasOnlyKeys(m, []) ? { type } : undefined;
    case 'stopRun':
      return hasOnlyKeys(m, ['runId']) && isId(m.runId) ? { type, runId: m.runId } : undefined;
    case 'openArtifact':
      return hasOnlyKeys(m, ['runId', 'artifact']) && isId(m.runId) && (m.artifact === 'report' || m.artifact === 'model')
        ? { type, runId: m.runId, artifact: m.artifact } : undefined;
    case 'openExample':
      return hasOnlyKeys(m, ['runId', 'split', 'index']) && isId(m.runId) && isSplit(m.split) && isIndex(m.index)
        ? { type, runId: m.runId, split: m.split, index: m.index } : undefined;
    case 'openMisclassified':
      return hasOnlyKeys(m, ['runId', 'split', 'gold', 'predicted']) && isId(m.runId) && isSplit(m.split) && isIndex(m.gold) && isIndex(m.predicted)
        ? { type, runId: m.runId, split: m.split, gold: m.gold, predicted: m.predicted } : undefined;
    case 'openLabelOutcome':
      return hasOnlyKeys(m, ['runId', 'split', 'label', 'outcome']) && isId(m.runId) && isSplit(m.split) && isIndex(m.label)
        && (m.outcome === 'tp' || m.outcome === 'fp' || m.outcome === 'fn')
        ? { type, runId: m.runId, split: m.split, label: m.label, outcome: m.outcome } : undefined;
    case 'setUncertaintyThreshold': {
      const target = m.target as Raw | undefined;
      const okTarget = typeof target === 'object' && target !== null && !Array.isArray(target) && (
        (hasOnlyKeys(target, ['targetAccuracy']) && isFraction(target.targetAccuracy)) || (hasOnlyKeys(target, ['targetCoverage']) && isFraction(target.targetCoverage)));
      // Per-class thresholds: one fraction per label (the engine checks the count against the run's labels).
      const okPerClass = m.perClass === undefined || (Array.isArray(m.perClass) && m.perClass.length > 0 && m.perClass.length <= maxPerClassThresholds && m.perClass.every(isFraction));
      return hasOnlyKeys(m, ['runId', 'threshold', 'target', 'coverage', 'accuracy', 'perClass']) && isId(m.runId) && isFraction(m.threshold) && okTarget && isFraction(m.coverage) && isFraction(m.accuracy) && okPerClass
        ? { type, runId: m.runId, threshold: m.threshold, target: target as unknown as ThresholdTarget, coverage: m.coverage, accuracy: m.accuracy, ...(m.perClass !== undefined ? { perClass: [...(m.perClass as number[])] } : {}) } : undefined;
    }
    case 'selectSplit':
      return hasOnlyKeys(m, ['split']) && isSplit(m.split) ? { type, split: m.split } : undefined;
    default: {
      // Exhaustiveness: adding a PageMessage type without a case above fails to compile here.
      const unknownType: never = type;
      void unknownType;
      return undefined;
    }
  }
}

/** Validates the state a page saved with `setState`, as handed back to a WebviewPanelSerializer after a reload. */
export function parsePanelState(raw: unknown): { runDirs: string[]; split: EvalSplit | undefined } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Raw;
  if (!Array.isArray(s.runDirs) || s.runDirs.length === 0 || s.runDirs.length > 16) return undefined;
  if (!s.runDirs.every((d) => typeof d === 'string' && d.length > 0 && d.length < 4096)) return undefined;
  return { runDirs: s.runDirs as string[], split: isSplit(s.split) ? s.split : undefined };
}
