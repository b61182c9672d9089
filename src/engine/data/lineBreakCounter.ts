// Line numbers of records in a byte stream whose parser reports only where each record ends (csv-parse's
// `info.bytes`): the breaks between one record end and the next are counted in the bytes themselves, with the
// native `indexOf`, instead of having the parser copy every record's raw text.

const lf = 0x0a;
const cr = 0x0d;

/**
 * Counts line breaks as editors count them (`\r\n`, `\n` and a lone `\r` are one each) in a stream fed chunk by
 * chunk, up to stream offsets given in increasing order. It holds the chunks from the last offset counted to on:
 * one record's bytes plus what has been read past it.
 */
export class LineBreakCounter {
  private readonly chunks: Buffer[] = [];
  /** Stream offset of `chunks[0]`. */
  private chunkStart = 0;
  /** Stream offset counted up to. */
  private at = 0;
  /** Next `\n` and `\r` at or after `at` in `chunks[0]` (chunk-relative; the chunk's length when there is none). */
  private nextLf = -1;
  private nextCr = -1;
  /** A `\r` ended a chunk inside a span: it is one break whether or not a `\n` follows in the next chunk. */
  private crPending = false;
  /** The byte before the offset counted up to (-1 at the start). */
  lastByte = -1;

  /** Appends the next bytes of the stream. The counter keeps the buffer until it has counted past it. */
  push(chunk: Buffer): void {
    if (chunk.length > 0) this.chunks.push(chunk);
  }

  /**
   * Line breaks between the offset counted up to and `end` (a stream offset no further than the bytes pushed); a
   * `\r` just before `end` counts as one break (the span ends a record, whatever follows).
   */
  countTo(end: number): number {
    let breaks = 0;
    while (this.at < end) {
      const chunk = this.chunks[0];
      if (chunk === undefined) throw new Error(`LineBreakCounter: offset ${end} is past the ${this.chunkStart} bytes pushed`);
      if (this.nextLf < 0) this.findNext(chunk, 0);
      const chunkEnd = this.chunkStart + chunk.length;
      let from = this.at - this.chunkStart;
      const to = Math.min(end, chunkEnd) - this.chunkStart;
      if (this.crPending) {
        this.crPending = false;
        breaks++;
        if (chunk[from] === lf) {
          from++;
          this.findNext(chunk, from);
        }
      }
      while (this.nextLf < to) {
        breaks++;
        this.nextLf = indexOrLength(chunk, lf, this.nextLf + 1);
      }
      while (this.nextCr < to) {
        const next = this.nextCr + 1;
        if (next < to) {
          if (chunk[next] !== lf) breaks++;
        } else if (to === end - this.chunkStart) breaks++;
        else this.crPending = true;
        this.nextCr = indexOrLength(chunk, cr, next);
      }
      this.at = this.chunkStart + to;
      this.lastByte = chunk[to - 1]!;
      if (this.at === chunkEnd) {
        this.chunks.shift();
        this.chunkStart = chunkEnd;
        this.nextLf = -1;
        this.nextCr = -1;
      }
    }
    return breaks;
  }

  /** The bytes from the offset counted up to, up to `end` and at most `maxBytes` of them, as UTF-8 text. */
  textTo(end: number, maxBytes: number): string {
    const parts: Buffer[] = [];
    let start = this.at;
    const stop = Math.min(end, this.at + maxBytes);
    let chunkStart = this.chunkStart;
    for (const chunk of this.chunks) {
      if (start >= stop) break;
      const chunkEnd = chunkStart + chunk.length;
      if (start < chunkEnd) {
        parts.push(chunk.subarray(start - chunkStart, Math.min(stop, chunkEnd) - chunkStart));
        start = Math.min(stop, chunkEnd);
      }
      chunkStart = chunkEnd;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  private findNext(chunk: Buffer, from: number): void {
    this.nextLf = indexOrLength(chunk, lf, from);
    this.nextCr = indexOrLength(chunk, cr, from);
  }
}

function indexOrLength(chunk: Buffer, byte: number, from: number): number {
  const i = chunk.indexOf(byte, from);
  return i < 0 ? chunk.length : i;
}
