// The table of CLI subcommands. To add a command: write `<name>Command.ts` exporting a CliCommand, then add
// one line here (keep the list alphabetical; the global help shows it in this order).
import type { CliCommand } from './cliCommand';
import { inspectCommand } from './inspectCommand';
import { modelsCommand } from './modelsCommand';

export const commands: readonly CliCommand[] = [
  inspectCommand,
  modelsCommand,
];
