// The table of CLI subcommands. To add a command: write `<name>Command.ts` exporting a CliCommand, then add
// one line here (keep the list alphabetical; the global help shows it in this order).
import type { CliCommand } from './cliCommand';
import { evalCommand } from './evalCommand';
import { exportCommand } from './exportCommand';
import { exportJobCommand } from './exportJobCommand';
import { inspectCommand } from './inspectCommand';
import { labelIssuesCommand } from './labelIssuesCommand';
import { modelsCommand } from './modelsCommand';
import { predictCommand } from './predictCommand';
import { recommendCommand } from './recommendCommand';
import { runsCommand } from './runsCommand';
import { suggestCommand } from './suggestCommand';
import { trainCommand } from './trainCommand';

export const commands: readonly CliCommand[] = [
  evalCommand,
  exportCommand,
  exportJobCommand,
  inspectCommand,
  labelIssuesCommand,
  modelsCommand,
  predictCommand,
  recommendCommand,
  runsCommand,
  suggestCommand,
  trainCommand,
];
