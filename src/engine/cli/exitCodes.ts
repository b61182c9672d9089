// Process exit codes of the CLI, the same for every command so scripts can rely on them.
export const ExitCodes = {
  /** Done; for `inspect`, the dataset can be trained on. */
  ok: 0,
  /** An unexpected failure (a bug): the message says so. */
  internalError: 1,
  /** The input cannot be used as asked (an EngineError: bad data, model, option value); for `inspect`, not trainable. */
  invalidInput: 2,
  /** The command line is wrong (unknown command or option, missing argument). BSD sysexits EX_USAGE. */
  usage: 64,
  /** Interrupted with Ctrl+C. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
