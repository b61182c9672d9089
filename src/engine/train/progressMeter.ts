// Turns training steps into `progress` events: samples/s and ETA measured since this process started
// training, throttled so a fast model does not flood the CLI, the RPC pipe or events.jsonl.
import type { RunProgress } from '../../protocol/train';

/** At most this many progress events per second (the last step of an epoch is always reported). */
const MAX_EVENTS_PER_SECOND = 4;

export class ProgressMeter {
  private readonly startedMs = performance.now();
  private lastEmitMs = -Infinity;
  private samples = 0;
  private steps = 0;
  private trainingMs = 0;
  private evaluations = 0;
  private evaluationMs = 0;

  constructor(
    private readonly runId: string,
    private readonly epochs: number,
    private readonly stepsPerEpoch: number,
    /** Minimum time between events; 0 reports every step (tests, `--json` consumers that want all). */
    private readonly minIntervalMs = 1000 / MAX_EVENTS_PER_SECOND,
  ) {}

  /** Records how long one validation pass (plus checkpointing) took, so the ETA includes the ones still to come. */
  evaluated(ms: number): void {
    this.evaluations++;
    this.evaluationMs += ms;
  }

  /**
   * Records one finished step; returns the event to emit, or undefined when throttled.
   * @param stepMs wall time of the step.
   */
  step(epoch: number, step: number, loss: number, learningRate: number, samples: number, stepMs: number): RunProgress | undefined {
    this.samples += samples;
    this.steps++;
    this.trainingMs += stepMs;
    const now = performance.now();
    const lastOfEpoch = step === this.stepsPerEpoch - 1;
    if (!lastOfEpoch && now - this.lastEmitMs < this.minIntervalMs) return undefined;
    this.lastEmitMs = now;
    const totalSteps = this.epochs * this.stepsPerEpoch;
    const done = epoch * this.stepsPerEpoch + step + 1;
    const msPerStep = this.trainingMs / this.steps;
    // The epoch of the last step done still has its evaluation ahead.
    const evaluationsLeft = this.epochs - Math.floor((done - 1) / this.stepsPerEpoch);
    const msPerEvaluation = this.evaluations > 0 ? this.evaluationMs / this.evaluations : 0;
    return {
      runId: this.runId,
      epoch: epoch + 1,
      epochs: this.epochs,
      step: done,
      totalSteps,
      loss,
      learningRate,
      samplesPerSecond: this.trainingMs > 0 ? (this.samples * 1000) / this.trainingMs : 0,
      etaSeconds: ((totalSteps - done) * msPerStep + evaluationsLeft * msPerEvaluation) / 1000,
    };
  }

  /** Seconds since training started in this process. */
  get elapsedSeconds(): number {
    return (performance.now() - this.startedMs) / 1000;
  }
}
