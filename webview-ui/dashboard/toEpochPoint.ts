// Turns a live EpochReport into the point the epoch charts plot (same shape the host reads from events.jsonl).
import type { EpochPoint, EpochReport } from '../shared/messages';

/** The curve point of one evaluation. */
export function toEpochPointFromReport(r: EpochReport): EpochPoint {
  return { epoch: r.epoch, trainLoss: r.trainLoss, validationLoss: r.validation.loss, accuracy: r.validation.accuracy, macroF1: r.validation.macroF1, isBest: r.isBest };
}
