// CLI entry point (bundled to dist/cli.js, launched by bin/classifier-workbench.js): wires process I/O,
// Ctrl+C and the exit code around runCli.
import { version } from '../../../package.json';
import { commands } from './commands';
import { ExitCodes } from './exitCodes';
import { runCli } from './runCli';

const abort = new AbortController();
process.once('SIGINT', () => {
  // First Ctrl+C asks the command to stop cleanly; a second one kills at once (Node's default).
  abort.abort();
  process.stderr.write('\nStopping… (press Ctrl+C again to quit at once)\n');
  process.once('SIGINT', () => process.exit(ExitCodes.interrupted));
});

// A closed pipe (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

void runCli(process.argv.slice(2), commands, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  signal: abort.signal,
  version,
}).then((code) => {
  process.exitCode = code;
});
