/** Command-line options of the engine process (`--max-message-bytes N`). */
import type { ServerOptions } from './startServer';

/** Reads the server options from `argv`; unknown or malformed options are ignored. */
export function readServerOptions(argv: readonly string[]): ServerOptions {
  const at = argv.indexOf('--max-message-bytes');
  const value = at >= 0 ? Number(argv[at + 1]) : NaN;
  return Number.isInteger(value) && value > 0 ? { maxMessageBytes: value } : {};
}
