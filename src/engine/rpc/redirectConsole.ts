/**
 * stdout belongs to JSON-RPC: any stray console.log (ours or a dependency's) would corrupt the stream.
 * Imported first by main.ts so it runs before any other module loads.
 */
import { format } from 'node:util';

for (const name of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const) {
  console[name] = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
}
