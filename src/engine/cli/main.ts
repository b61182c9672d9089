// CLI entry point (bundled to dist/cli.js, launched by bin/classifier-workbench.js): wires process I/O,
// Ctrl+C and the exit code around runCli.
import { version } from '../../../package.json';
import { commands } from './commands';
import { ExitCodes } from './exitCodes';
import { runCli } from './runCli';

/**
 * A writer that drops its text once `stream` has failed. A reader that went away (`train … | head -2`: EPIPE, a
 * closed terminal: EIO) must not kill or end a run: the run goes on, writes its files and exits with its own code;
 * only the printing stops. Node ignores SIGPIPE, so the failure arrives as the stream's 'error' event.
 */
function outputTo(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return (text) => {
    if (open && !stream.destroyed) stream.write(text);
  };
}

const stdout = outputTo(process.stdout);
const stderr = outputTo(process.stderr);

const abort = new AbortController();
process.once('SIGINT', () => {
  // First Ctrl+C asks the command to stop cleanly; a second one kills at once (Node's default).
  abort.abort();
  stderr('\nStopping… (press Ctrl+C again to quit at once)\n');
  process.once('SIGINT', () => process.exit(ExitCodes.interrupted));
});

void runCli(process.argv.slice(2), commands, {
  stdout,
  stderr,
  cwd: process.cwd(),
  signal: abort.signal,
  version,
}).then((code) => {
  process.exitCode = code;
});
