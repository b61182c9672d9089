// Which character separates a CSV file's cells, guessed from its first records the way Python's csv.Sniffer (and
// pandas' `sep=None`) guess it: the delimiter is the candidate that occurs, outside quotes, as often in each of the
// first records as in the header. Spreadsheets in locales whose decimal mark is a comma write `;`; exports from
// databases often write `|` or a tab.

/** Candidates in order of preference when two fit equally well (csv.Sniffer's order, `|` added). */
export const candidateDelimiters = [',', '\t', ';', '|'] as const;

/** Records of the sample looked at (the header counts as one). */
const sampleRecords = 20;

/**
 * The delimiter of delimited text whose start is `sample` (the first few KiB are plenty; the last record is dropped
 * unless `complete`, as a read chunk can end inside it). A candidate must occur in the header; of those, the one
 * with the most records whose count equals the header's wins, ties going to the earlier candidate. Quotes are
 * followed so that delimiters and line breaks inside a quoted cell do not count; a quote opens a cell only at the
 * start of a record or right after a candidate (optionally after spaces), as csv-parse's `relax_quotes` reads it.
 * Returns `fallback` when no candidate occurs in the header (a one-column file).
 */
export function sniffDelimiter(sample: string, fallback: string, complete = false): string {
  const records = countPerRecord(sample.replace(/^\uFEFF/, ''), complete);
  const header = records[0];
  if (header === undefined) return fallback;
  let best: string | undefined;
  let bestScore = 0;
  candidateDelimiters.forEach((c, i) => {
    if (header[i] === 0) return;
    const score = records.filter((r) => r[i] === header[i]).length;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  });
  return best ?? fallback;
}

/** Per record (at most `sampleRecords`), how many times each candidate occurs outside quotes, in candidate order. */
function countPerRecord(text: string, complete: boolean): number[][] {
  const records: number[][] = [];
  let counts = candidateDelimiters.map(() => 0);
  let inQuote = false;
  let cellStart = true;
  let i = 0;
  for (; i < text.length && records.length < sampleRecords; i++) {
    const ch = text[i]!;
    if (inQuote) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuote = false;
      }
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      records.push(counts);
      counts = candidateDelimiters.map(() => 0);
      cellStart = true;
      continue;
    }
    const c = (candidateDelimiters as readonly string[]).indexOf(ch);
    if (c >= 0) {
      counts[c]!++;
      cellStart = true;
    } else if (ch === '"' && cellStart) inQuote = true;
    else if (ch !== ' ') cellStart = false;
  }
  // The text after the last line break is a whole record only when the sample is the whole file.
  if (complete && i >= text.length && !inQuote && records.length < sampleRecords && counts.some((n) => n > 0)) records.push(counts);
  return records;
}
