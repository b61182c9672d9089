// CLI entry point (bundled to dist/cli.js, launched by bin/classifier-workbench.js): wires process I/O,
// Ctrl+C / SIGTERM / SIGHUP and the exit code around runCli.
import { version } from '../../../package.json';
import { commands } from './commands';
import { ExitCodes, exitCodeForSignal, stopSignals, type StopSignal } from './exitCodes';
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
/** The signal that asked the command to stop; its exit code is 128 + its number (130 Ctrl+C, 143 SIGTERM, 129 SIGHUP). */
let stoppedBy: StopSignal | undefined;
for (const signal of stopSignals) {
  // Ctrl+C, `kill` and a closed terminal all stop the same way: the command stops at its next step, a run keeps
  // checkpoints/last and ends cancelled (resumable). A second stop signal quits at once.
  process.on(signal, () => {
    if (stoppedBy) process.exit(exitCodeForSignal(signal));
    stoppedBy = signal;
    abort.abort();
    stderr(signal === 'SIGINT' ? '\nStopping… (press Ctrl+C again to quit at once)\n' : `\nStopping on ${signal}… (send it again to quit at once)\n`);
  });
}

void runCli(process.argv.slice(2), commands, {
  stdout,
  stderr,
  cwd: process.cwd(),
  signal: abort.signal,
  version,
}).then((code) => {
  process.exitCode = code === ExitCodes.interrupted && stoppedBy ? exitCodeForSignal(stoppedBy) : code;
});
