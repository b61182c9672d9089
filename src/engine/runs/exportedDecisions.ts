// What an exported model keeps of its run's decision rules beside the weights: the temperature fitted on the
// run's validation split and the abstain threshold(s) the user picked. Without them a reloaded export would
// predict the model's raw probabilities and never say UNCERTAIN, unlike the run it came from.
// They go under the `classifier_workbench` key of the export's JSON header: config.json for a Hugging Face folder
// (transformers keeps unknown keys; Python users can read them there), ngram.json for the n-gram format.
import { readFile } from 'node:fs/promises';
import type { RunRecord } from '../../common/runFolder/runRecord';
import type { TemperatureScaling } from '../../protocol/calibration';
import { EngineErrorCodes } from '../../protocol/errors';
import { writeFileAtomic } from '../atomicWrite';
import { EngineError } from '../errors';

/** The key of an exported config.json / ngram.json under which our own settings go. */
export const EXPORT_EXTRA_KEY = 'classifier_workbench';

/** The decision rules as an export stores them: per-class values by label name, so they survive a relabelled id2label. */
export interface StoredDecisions {
  /** The run's temperature scaling (`temperature`, and `perClass` as label → T when fitted per class). */
  calibration?: { method: 'temperature'; temperature: number; perClass?: Record<string, number>; fittedOn: 'validation'; nllBefore: number; nllAfter: number };
  uncertaintyThreshold?: number;
  /** Per predicted class, label → threshold. */
  uncertaintyThresholds?: Record<string, number>;
}

/** The same, as prediction uses them (index = label id). */
export interface Decisions {
  calibration?: TemperatureScaling;
  uncertaintyThreshold?: number;
  uncertaintyThresholds?: number[];
}

/** The decisions of a run, from run.json (calibration only for single-label runs, as training fits it). */
export function runDecisions(record: RunRecord): Decisions {
  return {
    ...(record.calibration ? { calibration: record.calibration } : {}),
    ...(record.uncertaintyThreshold !== undefined ? { uncertaintyThreshold: record.uncertaintyThreshold } : {}),
    ...(record.uncertaintyThresholds ? { uncertaintyThresholds: record.uncertaintyThresholds } : {}),
  };
}

/** `decisions` by label name, as `writeDecisions` stores them. */
export function toStoredDecisions(decisions: Decisions, labels: readonly string[]): StoredDecisions {
  const byLabel = (values: readonly number[]) => Object.fromEntries(labels.map((l, i) => [l, values[i]!]));
  const c = decisions.calibration;
  return {
    // A declined scaling is T = 1: nothing to apply, and the reasons live in the run folder.
    ...(c && !c.declined ? { calibration: { method: 'temperature' as const, temperature: c.temperature, ...(c.perClass ? { perClass: byLabel(c.perClass) } : {}), fittedOn: 'validation' as const, nllBefore: c.nllBefore, nllAfter: c.nllAfter } } : {}),
    ...(decisions.uncertaintyThreshold !== undefined ? { uncertaintyThreshold: decisions.uncertaintyThreshold } : {}),
    ...(decisions.uncertaintyThresholds ? { uncertaintyThresholds: byLabel(decisions.uncertaintyThresholds) } : {}),
  };
}

/**
 * Adds the decisions to the JSON object in `file` under `classifier_workbench`, keeping what else is there (a
 * multi-label export's `thresholds`). Nothing is written when there is nothing to keep.
 */
export async function writeDecisions(file: string, stored: StoredDecisions): Promise<void> {
  if (Object.keys(stored).length === 0) return;
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const extra = typeof json[EXPORT_EXTRA_KEY] === 'object' && json[EXPORT_EXTRA_KEY] !== null ? json[EXPORT_EXTRA_KEY] as Record<string, unknown> : {};
  json[EXPORT_EXTRA_KEY] = { ...extra, ...stored };
  await writeFileAtomic(file, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * The decisions stored in an export's JSON header `json` (read from `file`), by label id.
 * @throws EngineError(invalidModel) naming `file` when a value is out of range or names an unknown label.
 */
export function readDecisions(json: Record<string, unknown>, labels: readonly string[], file: string): Decisions {
  const extra = json[EXPORT_EXTRA_KEY];
  if (typeof extra !== 'object' || extra === null) return {};
  const stored = extra as StoredDecisions;
  const bad = (what: string): never => {
    throw new EngineError(EngineErrorCodes.invalidModel, `"${EXPORT_EXTRA_KEY}.${what}" is not valid: re-export the model, or remove the key to predict without it`, { file });
  };
  const fraction = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;
  const positive = (x: unknown): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x);
  const byId = (values: unknown, check: (x: unknown) => x is number, what: string): number[] => {
    if (typeof values !== 'object' || values === null) return bad(what);
    const map = values as Record<string, unknown>;
    if (Object.keys(map).length !== labels.length) return bad(`${what} (one value per label: ${labels.length})`);
    return labels.map((l) => (check(map[l]) ? map[l] : bad(`${what}["${l}"]`)));
  };
  const out: Decisions = {};
  if (stored.calibration !== undefined) {
    const c = stored.calibration;
    if (typeof c !== 'object' || c === null || !positive(c.temperature)) bad('calibration.temperature');
    if (typeof c.nllBefore !== 'number' || typeof c.nllAfter !== 'number') bad('calibration.nllBefore/nllAfter');
    const perClass = c.perClass !== undefined ? byId(c.perClass, positive, 'calibration.perClass') : undefined;
    out.calibration = { method: 'temperature', temperature: c.temperature, ...(perClass ? { perClass } : {}), fittedOn: 'validation', nllBefore: c.nllBefore, nllAfter: c.nllAfter };
  }
  if (stored.uncertaintyThreshold !== undefined) {
    if (!fraction(stored.uncertaintyThreshold)) bad('uncertaintyThreshold');
    out.uncertaintyThreshold = stored.uncertaintyThreshold;
  }
  if (stored.uncertaintyThresholds !== undefined) out.uncertaintyThresholds = byId(stored.uncertaintyThresholds, fraction, 'uncertaintyThresholds');
  return out;
}
