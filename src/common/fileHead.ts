// The first bytes of a file, for what a file's start tells: its compression (magic number), a CSV's delimiter.
import { open } from 'node:fs/promises';

/** Bytes of a CSV's start its delimiter is guessed from, by the engine's reader and the editor alike (`sniffDelimiter` looks at 20 records at most). */
export const delimiterSampleBytes = 64 * 1024;

/**
 * The first `bytes` bytes of `path` (fewer when the file is shorter: `complete` says it ended within them).
 * @throws Node's error (ENOENT, EACCES, EISDIR, …) when it cannot be opened or read
 */
export async function readFileHead(path: string, bytes: number): Promise<{ head: Buffer; complete: boolean }> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return { head: buffer.subarray(0, bytesRead), complete: bytesRead < bytes };
  } finally {
    await handle.close();
  }
}
