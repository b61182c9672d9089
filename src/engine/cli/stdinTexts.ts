// The texts `predict` reads from stdin: one per line, blank lines skipped, and the byte-order mark that Windows tools
// (PowerShell, Notepad) put before the first line removed, so it is not classified as part of the first text.
import { createInterface } from 'node:readline';

/**
 * The non-blank lines of `input` (`\n` or `\r\n` ended), the first one without a leading U+FEFF.
 * @param signal closes the reader: a stop signal does not wait for the next line (or for ever on an open pipe)
 */
export async function* stdinTexts(input: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<string> {
  let first = true;
  for await (let line of createInterface({ input, crlfDelay: Infinity, signal })) {
    if (first) {
      first = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line.trim() !== '') yield line;
  }
}
