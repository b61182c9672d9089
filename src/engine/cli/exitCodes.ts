// Process exit codes of the CLI, the same for every command so scripts can rely on them.
import { constants } from 'node:os';

export const ExitCodes = {
  /** Done; for `inspect`, the dataset can be trained on. */
  ok: 0,
  /** An unexpected failure (a bug): the message says so. */
  internalError: 1,
  /** The input cannot be used as asked (an EngineError: bad data, model, a file an option names); for `inspect`, not trainable. */
  invalidInput: 2,
  /** The command line is wrong (unknown command or option, a bad option value, missing argument). BSD sysexits EX_USAGE. */
  usage: 64,
  /** Interrupted with Ctrl+C (SIGINT); SIGTERM and SIGHUP stop the same way with 128 + their number (see exitCodeForSignal). */
  interrupted: 130,
} as const;

/** The signals that stop a command cleanly, as Ctrl+C does (a run ends cancelled, resumable). */
export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof stopSignals)[number];

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function exitCodeForSignal(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
