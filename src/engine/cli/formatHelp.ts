// Help texts: the global list of commands and one command's usage, generated from the command table.
import type { CliCommand } from './cliCommand';
import { formatTable } from './formatTable';

export const programName = 'classifier-workbench';

/** `classifier-workbench --help`. */
export function formatGlobalHelp(commands: readonly CliCommand[], version: string): string {
  const rows = commands.map((c) => [c.name, c.summary]);
  return [
    `${programName} ${version}: fine-tune and debug text classifiers on JSONL data.`,
    '',
    `Usage: ${programName} <command> [options]`,
    '',
    'Commands:',
    formatTable(['', ''], rows).split('\n').slice(1).join('\n'),
    '',
    'Global options:',
    '  --help, -h   Show help (also after a command: <command> --help)',
    '  --json       Print machine-readable JSON on stdout',
    '  --version    Print the version',
    '',
    'Exit codes: 0 ok, 1 internal error, 2 unusable input (bad data or model) or a file system that refused (full, read-only, no permission), 64 bad command line (unknown command or option, bad option value, missing argument), 130 interrupted (Ctrl+C; 143 SIGTERM, 129 SIGHUP: stopped the same way).',
    '',
  ].join('\n');
}

/** `classifier-workbench <command> --help`. */
export function formatCommandHelp(command: CliCommand): string {
  const usage = [programName, command.name, ...command.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`)), '[options]'].join(' ');
  const lines = [`Usage: ${usage}`, '', command.summary];
  if (command.description) lines.push('', command.description);
  if (command.positionals.length > 0) {
    lines.push('', 'Arguments:', formatTable(['', ''], command.positionals.map((p) => [p.name, p.description])).split('\n').slice(1).join('\n'));
  }
  const optionRows = command.options.map((o) => [
    `--${o.name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}${o.short ? `, -${o.short}` : ''}`,
    o.description,
  ]);
  optionRows.push(['--json', 'Print the result as JSON on stdout'], ['--help, -h', 'Show this help']);
  lines.push('', 'Options:', formatTable(['', ''], optionRows).split('\n').slice(1).join('\n'), '');
  return lines.join('\n');
}
