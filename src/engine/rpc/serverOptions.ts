/** Command-line options of the engine process (`--max-message-bytes N`, `--predictor-heap-mb N`). */
import type { ServerOptions } from './startServer';

/** Reads the server options from `argv`; unknown or malformed options are ignored. */
export function readServerOptions(argv: readonly string[]): ServerOptions {
  const positive = (flag: string): number | undefined => {
    const at = argv.indexOf(flag);
    const value = at >= 0 ? Number(argv[at + 1]) : NaN;
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const maxMessageBytes = positive('--max-message-bytes');
  const predictorHeapMb = positive('--predictor-heap-mb');
  return { ...(maxMessageBytes ? { maxMessageBytes } : {}), ...(predictorHeapMb ? { predictorHeapMb } : {}) };
}
