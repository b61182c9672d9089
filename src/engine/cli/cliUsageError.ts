// A wrong command line: printed with a pointer to the help, exit code 64.

export class CliUsageError extends Error {
  /** `command` is set when the error is about one command, so the hint can name its help. */
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
