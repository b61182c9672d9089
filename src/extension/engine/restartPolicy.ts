/**
 * When to restart a dead engine: with back-off, at most `maxRestarts` within `windowMs`, then stop so a
 * crashing engine never loops. A manual restart (the user's "Restart engine") clears the history.
 */
export interface RestartDecision {
  allowed: boolean;
  /** Wait this long before spawning again. */
  delayMs: number;
}

export interface RestartPolicyOptions {
  /** Default 3. */
  maxRestarts?: number;
  /** Default 3 minutes. */
  windowMs?: number;
  /** First back-off; doubles with every restart in the window. Default 500 ms. */
  baseDelayMs?: number;
}

export class RestartPolicy {
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly baseDelayMs: number;
  private restarts: number[] = [];

  constructor(options: RestartPolicyOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? 3;
    this.windowMs = options.windowMs ?? 3 * 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 500;
  }

  /** Decide whether a restart at time `nowMs` may happen, and record it if so. */
  nextRestart(nowMs: number): RestartDecision {
    this.restarts = this.restarts.filter((t) => nowMs - t < this.windowMs);
    if (this.restarts.length >= this.maxRestarts) return { allowed: false, delayMs: 0 };
    const delayMs = this.baseDelayMs * 2 ** this.restarts.length;
    this.restarts.push(nowMs);
    return { allowed: true, delayMs };
  }

  /** Whether a restart at `nowMs` would be allowed, without recording one. */
  canRestart(nowMs: number): boolean {
    return this.restarts.filter((t) => nowMs - t < this.windowMs).length < this.maxRestarts;
  }

  /** Forget past restarts (the user asked for a restart explicitly). */
  reset(): void {
    this.restarts = [];
  }
}
