// The run history in the "Classifier Workbench" output channel: one timestamped line per run event a user may want
// to look back on (queued, started, stopped, completed, failed, interrupted, exported) and per error shown, beside
// the engine's own log lines.
import type { RunStateChange, RunStateName } from '../../protocol/train';
import type { OutputSink } from './outputSink';

/** What a line may say about the run besides its id; all optional (a run the tree does not know yet has none). */
export interface RunFacts {
  model?: string;
  mode?: string;
  dataset?: string;
  bestAccuracy?: number;
  bestMacroF1?: number;
  test?: { accuracy: number; macroF1: number };
}

const verbs: Record<RunStateName, string> = {
  queued: 'queued', running: 'started', completed: 'completed', failed: 'failed', cancelled: 'stopped', interrupted: 'interrupted',
};

export class RunHistoryLog {
  /** The last state logged per run: the engine may announce a state twice, the history says it once. */
  private readonly lastState = new Map<string, RunStateName>();

  constructor(private readonly sink: OutputSink, private readonly now: () => Date = () => new Date()) {}

  /** A `run/state` notification: `2026-12-01 02:45:10  run <id> started: ngram (full) on data/train.jsonl`. */
  state(change: RunStateChange, facts: RunFacts = {}): void {
    if (this.lastState.get(change.runId) === change.state) return;
    this.lastState.set(change.runId, change.state);
    const detail = change.state === 'running' || change.state === 'queued' ? describeSetup(facts)
      : change.state === 'completed' ? describeResult(facts)
      : change.editorMessage ?? change.message ?? '';
    this.line(`run ${change.runId} ${verbs[change.state]}${detail ? `: ${detail}` : ''}`);
  }

  /** An export that succeeded: where it went and what it is. */
  exported(runId: string, outDir: string, what: string): void {
    this.line(`run ${runId} exported to ${outDir} (${what})`);
  }

  /** An error shown to the user (the message as shown). */
  error(message: string): void {
    this.line(`error: ${message}`);
  }

  private line(text: string): void {
    this.sink.appendLine(`${timestamp(this.now())}  ${text}`);
  }
}

/** `2026-12-01 02:45:10` in local time: what the user's clock said. */
export function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function describeSetup(f: RunFacts): string {
  if (!f.model) return '';
  return `${f.model}${f.mode && f.model !== 'ngram' ? ` (${f.mode})` : ''}${f.dataset ? ` on ${f.dataset}` : ''}`;
}

function describeResult(f: RunFacts): string {
  const parts: string[] = [];
  if (f.bestAccuracy !== undefined) parts.push(`best validation accuracy ${f.bestAccuracy.toFixed(3)}${f.bestMacroF1 !== undefined ? `, macro F1 ${f.bestMacroF1.toFixed(3)}` : ''}`);
  if (f.test) parts.push(`test accuracy ${f.test.accuracy.toFixed(3)}, macro F1 ${f.test.macroF1.toFixed(3)}`);
  return parts.join('; ');
}
