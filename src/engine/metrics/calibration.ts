// Calibrated confidence: temperature scaling fitted on validation, the reliability diagram, and the
// coverage–accuracy curve of selective prediction. N examples, K classes, probabilities row-major [N × K].
// Scaling works on probabilities: softmax(log p / T) equals softmax(z / T) for the logits z the model produced
// (log p = z − logsumexp(z), and the constant cancels), so it applies to any model's output after the fact.
import type { CalibrationReport, CalibrationSplitSummary, ClassCoverageCurve, CoveragePoint, ReliabilityBin, TemperatureScaling } from '../../protocol/calibration';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { ECE_BINS, argMaxRow } from './classificationMetrics';

/** log of a probability of exactly 0 would be −∞; this floor keeps it a (very) unlikely class. */
const MIN_PROB = 1e-30;
/** Clipped like computeMetrics' loss, so the two cross-entropies agree. */
const MIN_LOSS_PROB = 1e-12;
/** Search range of T: beyond these the probabilities are one-hot or uniform for any practical model. */
const MIN_T = 0.05;
const MAX_T = 20;

/**
 * Returns softmax(log p / T) per row, a new `[N × K]` array.
 * @param temperature one T > 0, or one per class (length K).
 */
export function applyTemperature(probs: ArrayLike<number>, k: number, temperature: number | readonly number[]): Float32Array {
  const n = probs.length / k;
  const out = new Float32Array(probs.length);
  const t = (c: number) => (typeof temperature === 'number' ? temperature : temperature[c]!);
  const logits = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      logits[c] = Math.log(Math.max(MIN_PROB, probs[i * k + c]!)) / t(c);
      if (logits[c]! > max) max = logits[c]!;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (logits[c] = Math.exp(logits[c]! - max));
    for (let c = 0; c < k; c++) out[i * k + c] = logits[c]! / sum;
  }
  return out;
}

/** Mean −ln p(gold) (nats), clipped as in computeMetrics. */
export function meanNll(probs: ArrayLike<number>, goldIds: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0; i < goldIds.length; i++) sum -= Math.log(Math.max(MIN_LOSS_PROB, probs[i * k + goldIds[i]!]!));
  return goldIds.length ? sum / goldIds.length : 0;
}

/**
 * Fits temperature scaling by minimising the mean cross-entropy of `goldIds` (Guo et al. 2017): one T by
 * golden-section search on ln T in [ln 0.05, ln 20] (the NLL is convex in 1/T); per class, then three sweeps of
 * coordinate descent over the classes' T from that start. T = 1 is kept unless it is beaten.
 * @param probs `[N × K]` validation probabilities; goldIds length N.
 * @throws EngineError(invalidOption) with no examples or mismatched shapes.
 */
export function fitTemperature(probs: ArrayLike<number>, goldIds: ArrayLike<number>, k: number, options: { perClass?: boolean } = {}): TemperatureScaling {
  const n = goldIds.length;
  if (n === 0 || probs.length !== n * k) throw new EngineError(EngineErrorCodes.invalidOption, `fitTemperature needs N × K probabilities for N ≥ 1 examples (got ${probs.length} values for ${n} examples, K = ${k})`);
  const nllAt = (t: number | readonly number[]) => meanNll(applyTemperature(probs, k, t), goldIds, k);
  const nllBefore = meanNll(probs, goldIds, k);
  let t = goldenSection((lt) => nllAt(Math.exp(lt)), Math.log(MIN_T), Math.log(MAX_T));
  if (!(nllAt(t) < nllBefore)) t = 1;
  if (!options.perClass) return { method: 'temperature', temperature: t, fittedOn: 'validation', nllBefore, nllAfter: nllAt(t) };
  const perClass = new Array<number>(k).fill(t);
  let best = nllAt(perClass);
  for (let sweep = 0; sweep < 3; sweep++) {
    for (let c = 0; c < k; c++) {
      const at = (lt: number) => { const trial = [...perClass]; trial[c] = Math.exp(lt); return nllAt(trial); };
      const candidate = goldenSection(at, Math.log(MIN_T), Math.log(MAX_T), 20);
      const value = at(Math.log(candidate));
      if (value < best) { best = value; perClass[c] = candidate; }
    }
  }
  const geometricMean = Math.exp(perClass.reduce((s, v) => s + Math.log(v), 0) / k);
  return { method: 'temperature', temperature: geometricMean, perClass, fittedOn: 'validation', nllBefore, nllAfter: best };
}

/** The T of a scaling as `applyTemperature` takes it. */
export function temperatureOf(scaling: TemperatureScaling): number | readonly number[] {
  return scaling.perClass ?? scaling.temperature;
}

/** Minimiser of a unimodal f on [lo, hi], returned as exp(x) (the searches run on ln T). */
function goldenSection(f: (x: number) => number, lo: number, hi: number, iterations = 40): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - r * (b - a); fc = f(c); } else { a = c; c = d; fc = fd; d = a + r * (b - a); fd = f(d); }
  }
  return Math.exp((a + b) / 2);
}

/**
 * The reliability diagram: `bins` equal-width bins of top probability, each with its count, mean confidence and
 * accuracy; `ece` = Σ count/N · |accuracy − confidence| (the same bins and value as computeMetrics' ECE).
 */
export function reliabilityDiagram(probs: ArrayLike<number>, goldIds: ArrayLike<number>, k: number, bins = ECE_BINS): { bins: ReliabilityBin[]; ece: number } {
  const n = goldIds.length;
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const predicted = argMaxRow(probs, i * k, k);
    const p = probs[i * k + predicted]!;
    // Bin b holds (b/B, (b+1)/B]; 0 goes to bin 0 (as computeMetrics).
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
    count[b]!++;
    confidence[b]! += p;
    if (predicted === goldIds[i]) correct[b]!++;
  }
  let ece = 0;
  const out = count.map((c, b): ReliabilityBin => {
    const meanConfidence = c ? confidence[b]! / c : 0;
    const accuracy = c ? correct[b]! / c : 0;
    if (c) ece += (c / n) * Math.abs(accuracy - meanConfidence);
    return { lower: b / bins, upper: (b + 1) / bins, count: c, confidence: meanConfidence, accuracy };
  });
  return { bins: out, ece };
}

/**
 * Selective prediction: answer only when the top probability is ≥ a threshold. Returns at most `points` + 1
 * points from the highest threshold (fewest answers) to the lowest (all answered), each the accuracy on the
 * answered share. Thresholds are the examples' own confidences, so every point is achievable.
 */
export function coverageAccuracyCurve(probs: ArrayLike<number>, goldIds: ArrayLike<number>, k: number, points = 100): CoveragePoint[] {
  const n = goldIds.length;
  if (n === 0) return [];
  const rows = Array.from({ length: n }, (_, i) => {
    const predicted = argMaxRow(probs, i * k, k);
    return { p: probs[i * k + predicted]!, correct: predicted === goldIds[i] ? 1 : 0 };
  }).sort((a, b) => b.p - a.p);
  const curve: CoveragePoint[] = [];
  let correct = 0;
  let nextMark = 1;
  for (let i = 0; i < n; i++) {
    correct += rows[i]!.correct;
    // A point where the next example has a lower confidence (ties are answered together) and a mark is reached.
    const last = i === n - 1 || rows[i + 1]!.p < rows[i]!.p;
    if (last && ((i + 1) / n >= nextMark / points || i === n - 1)) {
      curve.push({ threshold: rows[i]!.p, coverage: (i + 1) / n, accuracy: correct / (i + 1) });
      while (nextMark / points <= (i + 1) / n) nextMark++;
    }
  }
  return curve;
}

/**
 * `coverageAccuracyCurve` per predicted class (index = label id): each class's own predictions sorted by confidence,
 * a point at most every 1/`points` of them (ties answered together), counts rather than rates so that per-class
 * choices add up to the answered whole.
 */
export function classCoverageCurves(probs: ArrayLike<number>, goldIds: ArrayLike<number>, k: number, points = 50): ClassCoverageCurve[] {
  const byClass: { p: number; correct: number }[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < goldIds.length; i++) {
    const predicted = argMaxRow(probs, i * k, k);
    byClass[predicted]!.push({ p: probs[i * k + predicted]!, correct: predicted === goldIds[i] ? 1 : 0 });
  }
  return byClass.map((rows) => {
    rows.sort((a, b) => b.p - a.p);
    const out: ClassCoverageCurve['points'] = [];
    let correct = 0;
    let nextMark = 1;
    rows.forEach((row, i) => {
      correct += row.correct;
      const last = i === rows.length - 1 || rows[i + 1]!.p < row.p;
      if (last && ((i + 1) / rows.length >= nextMark / points || i === rows.length - 1)) {
        out.push({ threshold: row.p, answered: i + 1, correct });
        while (nextMark / points <= (i + 1) / rows.length) nextMark++;
      }
    });
    return { predicted: rows.length, points: out };
  });
}

export { chooseThreshold, chooseClassThresholds } from '../../protocol/calibration';

/**
 * Fits the scaling on validation and reports it: ECE and NLL before/after and the reliability diagrams on
 * validation and (when there is one) test, and the coverage–accuracy curve of the calibrated validation split.
 * The NLL-optimal scaling is kept only if it does not raise the validation ECE; otherwise T = 1 (`declined`
 * records what was fitted). NLL and ECE usually agree; they part on near-uniform outputs (a random-weight
 * encoder: on emotion bert-tiny-random fitted T = 0.92 for a 0.1 % NLL gain and a test ECE of 0.027 → 0.042).
 * @param validation `[N_v × K]` probabilities and gold ids; test likewise or null.
 */
export function buildCalibrationReport(
  validation: { probs: ArrayLike<number>; goldIds: ArrayLike<number> },
  test: { probs: ArrayLike<number>; goldIds: ArrayLike<number> } | null,
  k: number,
  options: { perClass?: boolean } = {},
): CalibrationReport {
  const fitted = fitTemperature(validation.probs, validation.goldIds, k, options);
  const eceBefore = reliabilityDiagram(validation.probs, validation.goldIds, k).ece;
  const eceFitted = reliabilityDiagram(applyTemperature(validation.probs, k, temperatureOf(fitted)), validation.goldIds, k).ece;
  const scaling: TemperatureScaling = eceFitted <= eceBefore ? fitted : {
    method: 'temperature', temperature: 1, fittedOn: 'validation', nllBefore: fitted.nllBefore, nllAfter: fitted.nllBefore,
    declined: { temperature: fitted.temperature, eceBefore, eceAfter: eceFitted },
  };
  const t = temperatureOf(scaling);
  const summary = (split: 'validation' | 'test', probs: ArrayLike<number>, goldIds: ArrayLike<number>, calibrated: Float32Array): CalibrationSplitSummary => {
    const before = reliabilityDiagram(probs, goldIds, k);
    const after = reliabilityDiagram(calibrated, goldIds, k);
    return { split, examples: goldIds.length, eceBefore: before.ece, eceAfter: after.ece, nllBefore: meanNll(probs, goldIds, k), nllAfter: meanNll(calibrated, goldIds, k), binsBefore: before.bins, binsAfter: after.bins };
  };
  const calibratedValidation = applyTemperature(validation.probs, k, t);
  return {
    scaling,
    validation: summary('validation', validation.probs, validation.goldIds, calibratedValidation),
    test: test && test.goldIds.length ? summary('test', test.probs, test.goldIds, applyTemperature(test.probs, k, t)) : null,
    coverage: coverageAccuracyCurve(calibratedValidation, validation.goldIds, k),
    coverageByClass: classCoverageCurves(calibratedValidation, validation.goldIds, k),
  };
}
