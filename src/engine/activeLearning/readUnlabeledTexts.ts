// Reads the pool of active learning: the lines of a file that have text but no label. A JSONL file gives its
// objects without a label (a file of unlabeled lines, or the training file with some lines still to label);
// any other file gives one example per non-blank line.
import { extname } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { readJsonlLines } from '../data/jsonlLineReader';
import { parseJsonLine } from '../data/parseJsonLine';
import { detectFieldMapping } from '../data/detectFieldMapping';
import { extractExample } from '../data/extractExample';
import { isBlank } from '../data/isBlank';

export interface UnlabeledText {
  /** 1-based line in the file. */
  line: number;
  text: string;
}

export interface UnlabeledPool {
  format: 'jsonl' | 'text';
  texts: UnlabeledText[];
  /** JSONL lines that already have a label (not in the pool). */
  labeledLines: number;
  /** The texts of those lines. */
  labeledTexts: string[];
  /** Lines that could not be read, with the first `MAX_LISTED` reasons. */
  unreadableLines: number;
  unreadable: { line: number; reason: string }[];
}

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson', '.json']);
// Table formats hold a header and quoted fields: read line by line they would give wrong texts.
const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.parquet']);
const MAX_LISTED = 20;
// Field detection looks at the first objects of the file, like the dataset reader.
const DETECTION_SAMPLE = 200;

/**
 * The unlabeled lines of `path`, in file order.
 * A `.jsonl`/`.ndjson`/`.json` file is read as JSON lines: an object whose text field (detected, or
 * `textField`) holds text and whose label field (`labelField`) is missing, null or an empty string is
 * unlabeled; one with a label is counted in `labeledLines`. Blank lines are ignored. Any other file is
 * plain text: each non-blank line, trimmed, is one example. CSV, TSV and Parquet files are refused (see the error).
 * @param options.allowEmpty return an empty pool instead of throwing (to read only the labelled texts).
 * @throws EngineError(invalidDataset) naming the file when it cannot be read, and when it has no unlabeled line
 *   (saying what was found instead: labelled lines, unreadable lines with the first one's line and reason).
 */
export async function readUnlabeledTexts(path: string, options: { textField?: string; labelField?: string; signal?: AbortSignal; allowEmpty?: boolean } = {}): Promise<UnlabeledPool> {
  const extension = extname(path).toLowerCase();
  if (TABLE_EXTENSIONS.has(extension)) {
    throw new EngineError(EngineErrorCodes.invalidDataset, `${extension.slice(1).toUpperCase()} files cannot be suggested from yet; write the unlabeled texts as JSONL ({"text": ...} per line) or as a text file with one example per line`, { file: path });
  }
  const format = JSONL_EXTENSIONS.has(extension) ? 'jsonl' : 'text';
  const pool: UnlabeledPool = { format, texts: [], labeledLines: 0, labeledTexts: [], unreadableLines: 0, unreadable: [] };
  const unreadable = (line: number, reason: string) => {
    pool.unreadableLines++;
    if (pool.unreadable.length < MAX_LISTED) pool.unreadable.push({ line, reason });
  };
  const objects: { line: number; record: Record<string, unknown> }[] = [];
  await readJsonlLines(path, (event) => {
    if (event.kind === 'invalidUtf8') return unreadable(event.line, `not valid UTF-8 (byte ${event.byteOffset + 1}); save the file as UTF-8`);
    if (event.kind === 'oversized') return unreadable(event.line, `line of ${event.bytes} bytes is longer than the 1 MiB limit`);
    if (event.kind === 'utf16') throw new EngineError(EngineErrorCodes.invalidDataset, `the file is UTF-16 (${event.byteOrder}); save it as UTF-8`, { file: path, line: 1 });
    if (isBlank(event.text)) return;
    if (format === 'text') {
      pool.texts.push({ line: event.line, text: event.text.trim() });
      return;
    }
    const parsed = parseJsonLine(event.text);
    if (!parsed.ok) return unreadable(event.line, `invalid JSON: ${parsed.reason}`);
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return unreadable(event.line, 'not a JSON object');
    objects.push({ line: event.line, record: parsed.value as Record<string, unknown> });
  }, { signal: options.signal });

  if (format === 'jsonl') {
    const mapping = detectFieldMapping(objects.slice(0, DETECTION_SAMPLE).map((o) => o.record), options);
    if (mapping?.format === 'chat') {
      throw new EngineError(EngineErrorCodes.invalidDataset, 'chat-format lines ("messages") cannot be suggested for labelling yet; put the texts in a file with one {"text": ...} object or one text per line', { file: path });
    }
    for (const { line, record } of objects) {
      const extracted = extractExample(record, mapping);
      if (extracted.ok) {
        // An empty label list is a label too in multi-label data ("none of these").
        pool.labeledLines++;
        pool.labeledTexts.push(extracted.text);
      } else if ((extracted.kind === 'missingLabel' || extracted.kind === 'emptyLabel') && mapping) {
        pool.texts.push({ line, text: String(record[mapping.textField]) });
      } else {
        unreadable(line, extracted.message);
      }
    }
  }
  if (pool.texts.length === 0 && !options.allowEmpty) throw noUnlabeledLines(path, pool);
  return pool;
}

function noUnlabeledLines(path: string, pool: UnlabeledPool): EngineError {
  const found: string[] = [];
  if (pool.labeledLines) found.push(`${pool.labeledLines} line(s) already have a label`);
  if (pool.unreadableLines) found.push(`${pool.unreadableLines} line(s) could not be read (line ${pool.unreadable[0]!.line}: ${pool.unreadable[0]!.reason})`);
  const what = found.length ? found.join('; ') : 'the file is empty';
  const hint = pool.format === 'jsonl'
    ? 'add lines with a text and no label field (e.g. {"text": "..."}), or use a text file with one example per line'
    : 'put one example per line';
  return new EngineError(EngineErrorCodes.invalidDataset, `no unlabeled lines to suggest from: ${what}; ${hint}`, { file: path, ...(pool.unreadable[0] && !pool.labeledLines ? { line: pool.unreadable[0].line } : {}) });
}
