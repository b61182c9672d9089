// The shape of one CLI subcommand. Each command lives in its own `<name>Command.ts` and is listed in `commands.ts`.

/** One `--name` option of a command. */
export interface CliOptionSpec {
  /** Long name without dashes, kebab-case (`text-field`). */
  name: string;
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help for string options (`F`, `DIR`). */
  valueName?: string;
  description: string;
}

/** One positional argument of a command. */
export interface CliPositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
  /** The last positional may take any number of values (`predict TEXT...`). */
  variadic?: boolean;
}

/** What a command's `run` receives: parsed arguments (options by long name) and where to write. */
export interface CliInvocation {
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
}

export interface CliContext {
  /** Write to standard output / error (text is written as given; add your own newlines). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** `--json` was given: print one JSON document on stdout instead of the human summary. */
  json: boolean;
  /** Directory that relative paths and displayed paths are relative to. */
  cwd: string;
  /** Aborted on Ctrl+C: pass it to long engine calls. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  /** One line for the global help. */
  summary: string;
  /** Longer text for `<command> --help` (optional). */
  description?: string;
  positionals: CliPositionalSpec[];
  options: CliOptionSpec[];
  /** Runs the command; resolves to the exit code. Throw EngineError for user-fixable problems. */
  run(args: CliInvocation, context: CliContext): Promise<number>;
}
