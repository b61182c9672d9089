// The training progress bar on a terminal (cli-progress): epoch, steps, loss, samples/s and ETA.
import { SingleBar } from 'cli-progress';
import type { RunProgress } from '../../protocol/train';

export class TrainProgressBar {
  private bar: SingleBar | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: RunProgress): void {
    const payload = { epochText: `epoch ${p.epoch}/${p.epochs}`, loss: p.loss.toFixed(4), rate: p.samplesPerSecond.toFixed(0), etaText: formatSeconds(p.etaSeconds) };
    if (!this.bar) {
      this.bar = new SingleBar({
        format: '{epochText} [{bar}] {value}/{total} steps | loss {loss} | {rate} samples/s | ETA {etaText}',
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
        // Our own ETA (training steps only); cli-progress's would count evaluation pauses.
        etaBuffer: 1,
      });
      this.bar.start(p.totalSteps, p.step, payload);
    } else {
      this.bar.update(p.step, payload);
    }
  }

  /** Clears the bar so a line can be printed, or for good at the end. */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
