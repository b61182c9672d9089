// The training loop, flat and in order (nanoGPT's train.py): for each epoch, train step by step (checking
// cancellation before every step), evaluate on validation, keep the best checkpoint, save the last one,
// stop early when validation loss (multi-label: macro F1, ties going to the lower loss) stops improving.
import type { DatasetSplits } from '../data/example';
import type { TrainConfig, TrainEvent } from '../../protocol/train';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import type { TrainerState } from './trainerState';
import { saveTrainingCheckpoint } from './trainerState';
import { evaluateSplit, selectionLoss, selectionLossName } from './evaluateSplit';
import { ProgressMeter } from './progressMeter';
import { runPaths } from '../../common/runFolder/runRecord';
import { plural } from '../../common/plural';

/** Long epochs (BERT on big data) also save `checkpoints/last` this often, so a crash loses little work. */
const CHECKPOINT_EVERY_MS = 5 * 60 * 1000;
/** Yield to the event loop at least this often, so an abort (Ctrl-C, `run/cancel`) is seen within a step. */
const YIELD_EVERY_MS = 20;
/** A new selection loss (validation loss; multi-label: 1 − macro F1) must beat the best by this much to count. */
const MIN_IMPROVEMENT = 1e-6;

export interface LoopContext {
  runId: string;
  runDir: string;
  config: TrainConfig;
  data: DatasetSplits;
  classifier: TrainableClassifier;
  state: TrainerState;
  signal?: AbortSignal;
  emit: (event: TrainEvent) => void;
  /** Minimum time between progress events (default ~4 per second). */
  progressIntervalMs?: number;
  /** Called after each epoch's checkpoint, to refresh run.json and metrics.json. */
  onEpochSaved: (state: TrainerState) => Promise<void>;
}

/**
 * Runs the remaining epochs of `ctx.state` (the baseline, epoch 0, must already be in `state.evaluations`).
 * @returns `cancelled` when the signal fired (`checkpoints/last` then holds the exact position), else `finished`.
 */
export async function trainEpochs(ctx: LoopContext): Promise<'finished' | 'cancelled'> {
  const { config, classifier, state } = ctx;
  const paths = runPaths(ctx.runDir);
  const meter = new ProgressMeter(ctx.runId, config.epochs, state.stepsPerEpoch, ctx.progressIntervalMs);
  let lastYield = performance.now();
  let lastCheckpoint = performance.now();
  while (state.epoch < config.epochs && !state.stoppedEarly) {
    const epoch = state.epoch;
    while (state.step < state.stepsPerEpoch) {
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
      if (ctx.signal?.aborted) {
        await saveTrainingCheckpoint(paths.lastCheckpoint, classifier, state);
        return 'cancelled';
      }
      const began = performance.now();
      const r = await classifier.trainStep(epoch, state.step);
      state.epochLossSum += r.loss * r.samples;
      state.epochSamples += r.samples;
      const progress = meter.step(epoch, state.step, r.loss, r.learningRate, r.samples, performance.now() - began);
      state.step++;
      if (progress) ctx.emit({ type: 'progress', ...progress });
      if (performance.now() - lastCheckpoint > CHECKPOINT_EVERY_MS && state.step < state.stepsPerEpoch) {
        await saveTrainingCheckpoint(paths.lastCheckpoint, classifier, state);
        lastCheckpoint = performance.now();
      }
    }

    const trainLoss = state.epochSamples > 0 ? state.epochLossSum / state.epochSamples : null;
    const evaluationStarted = performance.now();
    let metrics;
    try {
      metrics = (await evaluateSplit(classifier, ctx.data.validation, 'validation', ctx.signal, { multiLabel: ctx.data.multiLabel, thresholds: 'tune' })).metrics;
    } catch (err) {
      if (!ctx.signal?.aborted) throw err;
      // Cancelled while evaluating: the epoch's steps are done (step === stepsPerEpoch), so resuming evaluates it.
      await saveTrainingCheckpoint(paths.lastCheckpoint, classifier, state);
      return 'cancelled';
    }
    const score = selectionLoss(metrics);
    let earlyStop: string | undefined;
    const isBest = state.bestLoss === null || score < state.bestLoss - MIN_IMPROVEMENT || (score <= state.bestLoss + MIN_IMPROVEMENT && lowerLossThanBest(state, metrics.loss));
    state.evaluations.push({ epoch: epoch + 1, trainLoss, validation: metrics, isBest });
    state.epoch = epoch + 1;
    state.step = 0;
    state.epochLossSum = 0;
    state.epochSamples = 0;
    if (isBest) {
      state.bestEpoch = epoch + 1;
      state.bestLoss = score;
      state.epochsWithoutImprovement = 0;
    } else {
      state.epochsWithoutImprovement++;
      if (config.patience > 0 && state.epochsWithoutImprovement >= config.patience && state.epoch < config.epochs) {
        state.stoppedEarly = true;
        earlyStop = `early stopping after epoch ${state.epoch}: ${selectionLossName(ctx.data.multiLabel)} has not improved for ${plural(config.patience, 'epoch')}`;
      }
    }
    if (isBest) await saveTrainingCheckpoint(paths.bestCheckpoint, classifier, state);
    await saveTrainingCheckpoint(paths.lastCheckpoint, classifier, state);
    lastCheckpoint = performance.now();
    await ctx.onEpochSaved(state);
    meter.evaluated(performance.now() - evaluationStarted);
    ctx.emit({ type: 'epoch', runId: ctx.runId, epoch: epoch + 1, trainLoss, validation: metrics, isBest });
    // After the epoch's own line, which it refers to ("after epoch 9" printed before "epoch 9" read backwards).
    if (earlyStop) ctx.emit({ type: 'log', level: 'info', runId: ctx.runId, message: earlyStop });
  }
  return 'finished';
}

/**
 * A tie on the selection score (multi-label: the same tuned macro F1, e.g. 100 % on data whose words give the labels
 * away, reached after one epoch) goes to the lower validation loss: the later, surer model. Keeping the first tied
 * epoch kept a one-epoch linear n-gram head that gave a line's second label p = 0.43. Single-label scores are the
 * loss itself, so this changes nothing there.
 */
function lowerLossThanBest(state: TrainerState, loss: number): boolean {
  const best = state.evaluations.find((e) => e.epoch === state.bestEpoch);
  return best !== undefined && loss < best.validation.loss - MIN_IMPROVEMENT;
}
